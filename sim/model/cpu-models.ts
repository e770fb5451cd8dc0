// Host CPU models the sim knows, with what `virsh capabilities` shows for them and the feature
// sets used for libvirt's guest-CPU compatibility check at migration time. Feature lists are a
// representative subset of libvirt's cpu_map (enough to make cross-family moves fail and
// Skylake → Cascadelake succeed), not a complete copy.

export const CPU_MODELS = [
  "Skylake-Server-IBRS",
  "Skylake-Server",
  "Cascadelake-Server",
  "Icelake-Server",
  "EPYC-Rome",
  "EPYC-Milan",
] as const;
export type CpuModel = (typeof CPU_MODELS)[number];

export interface CpuModelInfo {
  vendor: "Intel" | "AMD";
  family: number;
  model: number;
  stepping: number;
  microcode: number;
  mhz: number;
  /** Features a guest with this CPU model requires, in cpu_map order. */
  features: readonly string[];
  /** Extra features `virsh capabilities` lists under the host <cpu> besides the model. */
  hostExtras: readonly string[];
}

const X86_BASE = [
  "fpu",
  "mmx",
  "sse",
  "sse2",
  "pni",
  "ssse3",
  "cx16",
  "sse4.1",
  "sse4.2",
  "popcnt",
  "aes",
  "xsave",
  "avx",
  "f16c",
  "rdrand",
  "fsgsbase",
  "bmi1",
  "avx2",
  "smep",
  "bmi2",
  "movbe",
  "fma",
  "adx",
  "rdseed",
  "smap",
  "xsaveopt",
  "xsavec",
  "xgetbv1",
  "clflushopt",
];
const SKYLAKE = [
  ...X86_BASE,
  "erms",
  "invpcid",
  "pcid",
  "rtm",
  "hle",
  "mpx",
  "avx512f",
  "avx512dq",
  "avx512cd",
  "avx512bw",
  "avx512vl",
  "clwb",
  "pku",
  "3dnowprefetch",
];
const CASCADELAKE = [...SKYLAKE, "avx512vnni", "spec-ctrl", "ssbd", "arch-capabilities"];
const ICELAKE = [
  ...CASCADELAKE,
  "avx512vbmi",
  "avx512vbmi2",
  "gfni",
  "vaes",
  "vpclmulqdq",
  "avx512bitalg",
  "avx512-vpopcntdq",
  "la57",
  "wbnoinvd",
  "sha-ni",
  "rdpid",
  "fsrm",
];
const EPYC_ROME = [
  ...X86_BASE,
  "sha-ni",
  "clwb",
  "rdpid",
  "sse4a",
  "misalignsse",
  "3dnowprefetch",
  "osvw",
  "topoext",
  "perfctr_core",
  "clzero",
  "xsaveerptr",
  "wbnoinvd",
  "amd-stibp",
  "ibpb",
  "amd-ssbd",
];
const EPYC_MILAN = [...EPYC_ROME, "erms", "fsrm", "invpcid", "pcid", "pku", "vaes", "vpclmulqdq", "ibrs", "amd-psfd"];

const INTEL_EXTRAS = [
  "ds",
  "acpi",
  "ss",
  "ht",
  "tm",
  "pbe",
  "dtes64",
  "monitor",
  "ds_cpl",
  "vmx",
  "smx",
  "est",
  "tm2",
  "xtpr",
  "pdcm",
  "dca",
  "osxsave",
  "tsc_adjust",
  "cmt",
  "mbm_total",
  "mbm_local",
  "pdpe1gb",
  "invtsc",
];
const AMD_EXTRAS = [
  "ht",
  "cmp_legacy",
  "extapic",
  "ibs",
  "skinit",
  "wdt",
  "tce",
  "topoext",
  "perfctr_nb",
  "invtsc",
  "succor",
  "svm",
  "npt",
  "nrip-save",
  "pdpe1gb",
];

export const CPU_MODEL_INFO: Record<CpuModel, CpuModelInfo> = {
  "Skylake-Server-IBRS": {
    vendor: "Intel",
    family: 6,
    model: 85,
    stepping: 4,
    microcode: 33581369,
    mhz: 2100,
    features: [...SKYLAKE, "spec-ctrl"],
    hostExtras: INTEL_EXTRAS,
  },
  "Skylake-Server": {
    vendor: "Intel",
    family: 6,
    model: 85,
    stepping: 4,
    microcode: 33581369,
    mhz: 2100,
    features: SKYLAKE,
    hostExtras: INTEL_EXTRAS,
  },
  "Cascadelake-Server": {
    vendor: "Intel",
    family: 6,
    model: 85,
    stepping: 7,
    microcode: 83898371,
    mhz: 2500,
    features: CASCADELAKE,
    hostExtras: INTEL_EXTRAS,
  },
  "Icelake-Server": {
    vendor: "Intel",
    family: 6,
    model: 106,
    stepping: 6,
    microcode: 218104022,
    mhz: 2800,
    features: ICELAKE,
    hostExtras: INTEL_EXTRAS,
  },
  "EPYC-Rome": {
    vendor: "AMD",
    family: 23,
    model: 49,
    stepping: 0,
    microcode: 137367603,
    mhz: 2250,
    features: EPYC_ROME,
    hostExtras: AMD_EXTRAS,
  },
  "EPYC-Milan": {
    vendor: "AMD",
    family: 25,
    model: 1,
    stepping: 1,
    microcode: 173015313,
    mhz: 2450,
    features: EPYC_MILAN,
    hostExtras: AMD_EXTRAS,
  },
};

/**
 * Features a guest created with `guestModel` needs that a `hostModel` host lacks, in the guest's
 * feature order. Empty means the destination can run the guest.
 */
export function missingCpuFeatures(guestModel: CpuModel, hostModel: CpuModel): string[] {
  const host = new Set(CPU_MODEL_INFO[hostModel].features);
  return [...new Set(CPU_MODEL_INFO[guestModel].features)].filter((f) => !host.has(f));
}
