// A host's small in-memory filesystem: the place where redirections of detached commands write
// their logs and where `cat` reads them back. Nothing here touches the real disk.

const STANDARD_DIRS = [
  "/",
  "/bin",
  "/dev",
  "/etc",
  "/home",
  "/root",
  "/run",
  "/tmp",
  "/usr",
  "/usr/bin",
  "/usr/sbin",
  "/var",
  "/var/lib",
  "/var/lib/libvirt",
  "/var/lib/libvirt/images",
  "/var/log",
  "/var/log/libvirt",
  "/var/tmp",
];

export type FsError = "ENOENT" | "EISDIR" | "ENOTDIR";

export class VirtualFs {
  private readonly dirs = new Set<string>(STANDARD_DIRS);
  private readonly files = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [p, c] of Object.entries(files)) this.files.set(p, c);
  }

  /** Absolute, normalised path ('.' and '..' resolved), relative paths taken from `cwd`. */
  resolve(path: string, cwd = "/root"): string {
    const parts: string[] = [];
    for (const seg of (path.startsWith("/") ? path : `${cwd}/${path}`).split("/")) {
      if (seg === "" || seg === ".") continue;
      if (seg === "..") parts.pop();
      else parts.push(seg);
    }
    return `/${parts.join("/")}`;
  }

  read(path: string): string | FsError {
    if (this.dirs.has(path)) return "EISDIR";
    return this.files.get(path) ?? "ENOENT";
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }

  /** Create or truncate (`>`), as the shell does before the command starts. */
  create(path: string): FsError | undefined {
    const err = this.checkWritable(path);
    if (err) return err;
    this.files.set(path, "");
    return undefined;
  }

  /** Open for appending (`>>`), creating the file if needed. */
  openAppend(path: string): FsError | undefined {
    const err = this.checkWritable(path);
    if (err) return err;
    if (!this.files.has(path)) this.files.set(path, "");
    return undefined;
  }

  append(path: string, data: string): void {
    // A file removed while a detached writer still holds it open: the writes go nowhere visible.
    const cur = this.files.get(path);
    if (cur !== undefined) this.files.set(path, cur + data);
  }

  mkdirp(path: string): FsError | undefined {
    let cur = "";
    for (const seg of path.split("/").filter((s) => s !== "")) {
      cur += `/${seg}`;
      if (this.files.has(cur)) return "ENOTDIR";
      this.dirs.add(cur);
    }
    return undefined;
  }

  remove(path: string): FsError | undefined {
    if (this.dirs.has(path)) return "EISDIR";
    return this.files.delete(path) ? undefined : "ENOENT";
  }

  private checkWritable(path: string): FsError | undefined {
    if (this.dirs.has(path)) return "EISDIR";
    const parent = path.slice(0, path.lastIndexOf("/")) || "/";
    if (this.files.has(parent)) return "ENOTDIR";
    if (!this.dirs.has(parent)) return "ENOENT";
    return undefined;
  }
}
