import "server-only";
import { z } from "zod";
import { type Endpoint, read } from "@/lib/api/endpoint";
import { idParam } from "@/lib/api/params";
import { getFleet } from "@/lib/db/fleet";
import { getVmDetail } from "@/lib/db/vms";
import { AppError } from "@/lib/errors";
import { fleet, fleetHost, fleetVm, hostRef } from "@/lib/schemas/wire";

// Fleet, hosts and VMs as the hosts last reported them (the inventory the worker reads over SSH).

export const fleetEndpoints: Endpoint[] = [
  read(
    {
      method: "get",
      path: "/fleet",
      summary: "Every host with its VMs, as last read over SSH",
      tag: "fleet",
      audit: "api.v1.fleet.read",
      response: fleet,
    },
    () => getFleet(),
  ),
  read(
    {
      method: "get",
      path: "/hosts",
      summary: "Every host (without its VMs)",
      tag: "fleet",
      audit: "api.v1.hosts.read",
      response: z.array(fleetHost.omit({ vms: true })),
    },
    async () => (await getFleet()).map(({ vms: _vms, ...host }) => host),
  ),
  read(
    {
      method: "get",
      path: "/hosts/{id}",
      summary: "One host with its VMs",
      tag: "fleet",
      audit: "api.v1.hosts.read",
      params: idParam,
      response: fleetHost,
    },
    async ({ params }) => {
      const host = (await getFleet()).find((h) => h.id === params.id);
      if (!host) throw new AppError("NOT_FOUND", "No such host.");
      return host;
    },
  ),
  read(
    {
      method: "get",
      path: "/vms",
      summary: "Every VM with its host",
      tag: "vms",
      audit: "api.v1.vms.read",
      response: z.array(fleetVm.extend({ host: hostRef })),
    },
    async () => (await getFleet()).flatMap((h) => h.vms.map((vm) => ({ ...vm, host: { id: h.id, name: h.name } }))),
  ),
  read(
    {
      method: "get",
      path: "/vms/{id}",
      summary: "One VM and its migration in flight, if any",
      tag: "vms",
      audit: "api.v1.vms.read",
      params: idParam,
    },
    async ({ params }) => {
      const vm = await getVmDetail(params.id);
      if (!vm) throw new AppError("NOT_FOUND", "No such VM.");
      return vm;
    },
  ),
];
