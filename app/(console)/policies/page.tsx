import { guardedPage } from "@/lib/auth/page";
import { listPolicies } from "@/lib/db/policies";
import { PolicyEditor } from "./policy-editor";
import { displayName } from "@/lib/format";

export const dynamic = "force-dynamic";

export default guardedPage("viewer", async ({ user }) => {
  const policies = await listPolicies();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Escalation policies</h1>
        <p className="max-w-3xl text-sm text-slate-400">
          Applied automatically to migrations started with them. Steps fire in order, once each, when the verdict says
          stalled (or won&apos;t converge), each waiting <code>afterSeconds</code> after the previous one; an{" "}
          <code>elapsed-per-gib</code> deadline fires whatever the verdict. Every step is an event on the
          migration&apos;s curves.
        </p>
      </div>
      {policies.map((p) => (
        <section key={p.name} className="space-y-2 rounded border border-slate-800 p-3" data-policy={p.name}>
          <h2 className="font-semibold">
            {displayName(p.name)} {p.builtIn && <span className="text-xs text-slate-500">(built-in)</span>}
          </h2>
          {p.description && <p className="text-sm text-slate-400">{p.description}</p>}
          <PolicyEditor
            initial={JSON.stringify({ name: p.name, steps: p.steps }, null, 2)}
            canEdit={user.role === "admin"}
          />
        </section>
      ))}
      {user.role === "admin" && (
        <section className="space-y-2 rounded border border-slate-800 p-3">
          <h2 className="font-semibold">New policy</h2>
          <PolicyEditor
            initial={JSON.stringify(
              {
                name: "my-policy",
                steps: [{ when: "stalled", afterSeconds: 30, action: "set-max-downtime", toMs: 800 }],
              },
              null,
              2,
            )}
            canEdit
          />
        </section>
      )}
    </div>
  );
});
