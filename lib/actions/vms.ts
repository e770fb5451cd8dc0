"use server";

import { action } from "@/lib/actions/action";
import { setServiceCheck } from "@/lib/db/vms";
import { parseServiceTarget, serviceCheckInput } from "@/lib/schemas/vms";

/** Sets (or with an empty target removes) the TCP check of a VM's service after each landing. */
export const setServiceCheckAction = action(
  { schema: serviceCheckInput, role: "admin", audit: "vm.service-check" },
  async ({ input, tx, user }) => {
    const t = parseServiceTarget(input.target);
    return tx(
      async (db) => {
        const before = await setServiceCheck(
          db,
          input.vmUuid,
          t ? { vmName: input.vmName, tcpHost: t.host, tcpPort: t.port, updatedById: user.id } : null,
        );
        return { before: before ? `${before.tcpHost}:${before.tcpPort}` : null };
      },
      (r) => ({ targetType: "vm", targetId: input.vmUuid, before: r.before, after: t ? `${t.host}:${t.port}` : null }),
    ).then(() => ({ target: t ? `${t.host}:${t.port}` : null }));
  },
);
