// A domain's guest workload for the physics model: its profile, unless the control API set a
// dirty rate for it at run time.
import type { Domain } from "../model/domain";
import { workloadProfile } from "../physics/profiles";
import type { GuestWorkload } from "../physics/types";

export function workloadFor(dom: Domain): GuestWorkload {
  const w: GuestWorkload = { ...workloadProfile(dom.profile, dom.memoryKiB * 1024), vcpus: dom.vcpus };
  if (dom.dirtyRateOverrideMiBps !== undefined) w.dirtyRateBps = dom.dirtyRateOverrideMiBps * 1024 * 1024;
  return w;
}
