import type { Page } from "@playwright/test";

/** The admin's Hosts page: add one host, import an inventory, decide on host keys. */
export class AdminHostsPage {
  constructor(private readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto("/hosts");
  }

  get addForm() {
    return this.page.locator("form", { has: this.page.getByRole("heading", { name: "Add a hypervisor" }) });
  }

  get importForm() {
    return this.page.locator("form", { has: this.page.getByRole("heading", { name: "Import an inventory file" }) });
  }

  async addHost(h: {
    name: string;
    address: string;
    port: number;
    privateKey: string;
    sharedStorage?: string;
  }): Promise<void> {
    const form = this.addForm;
    if (h.sharedStorage) await form.getByLabel("Shared storage").fill(h.sharedStorage);
    await form.getByLabel("Name", { exact: true }).fill(h.name);
    await form.getByLabel("Address").fill(h.address);
    await form.getByLabel("SSH port").fill(String(h.port));
    await form.getByLabel("SSH private key").fill(h.privateKey);
    await form.getByRole("button", { name: "Add host" }).click();
    await form.getByRole("button", { name: "Add host" }).waitFor({ state: "visible" });
    await this.page.waitForFunction(() => !document.body.textContent?.includes("Contacting host…"));
  }

  async importInventory(text: string): Promise<void> {
    await this.page.getByLabel("Or paste it").fill(text);
    await this.page.getByRole("button", { name: "Import" }).click();
    await this.page.waitForFunction(() => !document.body.textContent?.includes("Importing…"));
  }

  keyCard(name: string) {
    return this.page.locator(`[data-key-card="${name}"]`);
  }
}
