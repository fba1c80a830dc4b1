#!/usr/bin/env python3
"""Build the EC2 price catalog (instance_types.csv, prices.csv, os_prices.csv, metadata.csv, SOURCE.md).

Standalone, stdlib-only (Python 3.11+). Reads data straight out of two
pinned wheels without importing them:

  * apache-libcloud (Apache-2.0):
      libcloud/compute/constants/ec2_instance_types.py  -> instance facts
      libcloud/data/pricing.json (compute.ec2_linux)     -> on-demand Linux USD/hour
      libcloud/data/pricing.json (compute.ec2_windows, ec2_rhel, ec2_suse)
                                                         -> on-demand Windows, RHEL, SUSE USD/hour
  * moto (Apache-2.0):
      moto/ec2/resources/instance_types.json.gz          -> DescribeInstanceTypes data,
        used for the CPU architecture, GPU maker/model/memory, burstable, and for
        types libcloud lacks.

Usage:
  python3 data/build_catalog.py --libcloud apache_libcloud-3.9.1-py3-none-any.whl \
      --moto moto-5.2.5-py3-none-any.whl [--out data/]

Output is deterministic: rows sorted, floats in shortest round-trip form,
LF line endings. A price of 0.0 in libcloud means "not offered in that
region" and is dropped. The other operating systems' prices are checked against
Linux's (see OS_PRICE_RULES) before they are kept.
"""

from __future__ import annotations

import argparse
import ast
import collections
import csv
import datetime
import gzip
import io
import json
import os
import re
import sys
import zipfile

LIBCLOUD_TYPES_PATH = "libcloud/compute/constants/ec2_instance_types.py"
LIBCLOUD_PRICING_PATH = "libcloud/data/pricing.json"
MOTO_TYPES_PATH = "moto/ec2/resources/instance_types.json.gz"

TYPES_HEADER = [
    "instance_type",
    "vcpus",
    "memory_gib",
    "gpus",
    "gpu_memory_gib",
    "arch",
    "network",
    "storage",
    "family",
    "current_generation",
    "processor",
    "gpu_manufacturer",
    "gpu_name",
    "gpu_memory_per_gpu_gib",
    "burstable",
]
PRICES_HEADER = ["instance_type", "region", "price_per_hour"]
OS_PRICES_HEADER = ["instance_type", "region", "operating_system", "price_per_hour"]
# libcloud's pricing keys for the other operating systems, and the price list's `operatingSystem`
# spelling the catalog uses for them. Linux stays in prices.csv.
OTHER_OS = [("ec2_windows", "Windows"), ("ec2_rhel", "RHEL"), ("ec2_suse", "SUSE")]
# The Windows license part of an on-demand price, USD per vCPU-hour (T family: the second figure).
# libcloud 3.9.1 holds exactly this product for 2,577 (type, region) pairs instead of the whole
# price: c5.large in us-east-1 is 0.092 = 2 x 0.046, where the price list says 0.177.
WINDOWS_LICENSE_PER_VCPU = (0.046, 0.0092)
METADATA_HEADER = ["key", "value"]

# AWS's burstable performance instances are the T family (T2, T3, T3a, T4g:
# docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-performance-instances.html).
# moto's BurstablePerformanceSupported decides where moto knows the type.
BURSTABLE_NAME = re.compile(r"t[0-9]+[a-z]*\.")

# When libcloud's gpuMemory and moto's TotalGpuMemoryInMiB disagree by more
# than this ratio, libcloud is assumed to hold a per-GPU figure (seen for
# p5en.48xlarge: "141 GB HBM3e" for 8 GPUs) and moto's total is used.
GPU_MEMORY_DISAGREEMENT = 0.25

# Fallback family names (libcloud's instanceFamily vocabulary) by type-name
# prefix, used only for moto-filled types with no libcloud sibling.
FAMILY_BY_PREFIX = [
    ("mac", "General purpose"),
    ("inf", "Machine Learning ASIC Instances"),
    ("trn", "Machine Learning ASIC Instances"),
    ("dl", "Machine Learning ASIC Instances"),
    ("vt", "Media Accelerator Instances"),
    ("hpc", "Compute optimized"),
    ("a", "General purpose"),
    ("m", "General purpose"),
    ("t", "General purpose"),
    ("c", "Compute optimized"),
    ("r", "Memory optimized"),
    ("x", "Memory optimized"),
    ("u", "Memory optimized"),
    ("z", "Memory optimized"),
    ("i", "Storage optimized"),
    ("d", "Storage optimized"),
    ("h", "Storage optimized"),
    ("p", "GPU instance"),
    ("g", "GPU instance"),
    ("f", "FPGA Instances"),
]


def fmt_float(x: float) -> str:
    """Shortest round-trip decimal, never scientific notation, always has a '.'."""
    x = float(x)
    r = repr(x)
    if "e" in r or "E" in r:
        r = f"{x:.15f}".rstrip("0")
        if r.endswith("."):
            r += "0"
    if "." not in r:
        r += ".0"
    return r


def leading_number(text: str) -> float | None:
    m = re.match(r"\s*([0-9][0-9,]*(?:\.[0-9]+)?)", text or "")
    if not m:
        return None
    return float(m.group(1).replace(",", ""))


def load_libcloud(wheel: str):
    with zipfile.ZipFile(wheel) as z:
        src = z.read(LIBCLOUD_TYPES_PATH).decode("utf-8")
        pricing = json.loads(z.read(LIBCLOUD_PRICING_PATH))
    instance_types = None
    for node in ast.parse(src).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "INSTANCE_TYPES"
        ):
            instance_types = ast.literal_eval(node.value)
            break
    if instance_types is None:
        raise SystemExit(f"INSTANCE_TYPES not found in {LIBCLOUD_TYPES_PATH}")
    return instance_types, pricing


def load_moto(wheel: str):
    with zipfile.ZipFile(wheel) as z:
        return json.loads(gzip.decompress(z.read(MOTO_TYPES_PATH)))


def wheel_name_version(wheel: str) -> tuple[str, str]:
    base = os.path.basename(wheel)
    parts = base.split("-")
    return parts[0], parts[1] if len(parts) > 1 else "?"


def arch_from_moto(m: dict) -> str:
    archs = m.get("ProcessorInfo", {}).get("SupportedArchitectures", [])
    # moto also uses "arm64_mac" / "x86_64_mac" for Mac instances.
    return "arm64" if any(a.startswith("arm64") for a in archs) else "x86_64"


def arch_from_processor(text: str) -> str:
    return "arm64" if ("Graviton" in text or "Apple M" in text) else "x86_64"


def moto_storage(m: dict) -> str:
    info = m.get("InstanceStorageInfo")
    if not info or not info.get("Disks"):
        return "EBS only"
    nvme = info.get("NvmeSupport", "unsupported") != "unsupported"
    parts = []
    for d in info["Disks"]:
        kind = str(d.get("Type", "")).upper()
        if kind == "SSD" and nvme:
            kind = "NVMe SSD"
        parts.append(f"{d.get('Count', 1)} x {d.get('SizeInGB', 0)} {kind}".strip())
    return " + ".join(parts)


def moto_gpus(m: dict) -> tuple[int, float]:
    gi = m.get("GpuInfo") or {}
    count = sum(int(g.get("Count", 0)) for g in gi.get("Gpus", []))
    mem_mib = gi.get("TotalGpuMemoryInMiB")
    if mem_mib is None:
        mem_mib = sum(
            int(g.get("Count", 0)) * int(g.get("MemoryInfo", {}).get("SizeInMiB", 0))
            for g in gi.get("Gpus", [])
        )
    return count, mem_mib / 1024.0


def moto_gpu_model(m: dict | None) -> tuple[str, str, float]:
    """(Manufacturer, Name, memory per GPU in GiB) of the first GPU moto lists, else blanks."""
    gpus = ((m or {}).get("GpuInfo") or {}).get("Gpus") or []
    if not gpus:
        return "", "", 0.0
    g = gpus[0]
    return g.get("Manufacturer", ""), g.get("Name", ""), g.get("MemoryInfo", {}).get("SizeInMiB", 0) / 1024.0


def burstable(t: str, m: dict | None) -> bool:
    if m is not None and "BurstablePerformanceSupported" in m:
        return bool(m["BurstablePerformanceSupported"])
    return BURSTABLE_NAME.match(t) is not None


def family_prefix(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def most_common(values):
    c = collections.Counter(values)
    if not c:
        return None
    best = max(c.values())
    return sorted(v for v, n in c.items() if n == best)[0]


def other_os_prices(other_os: dict, rows: dict, linux: dict):
    """Windows, RHEL and SUSE rows for os_prices.csv, and what was dropped, by (OS, reason).

    Rules (OS_PRICE_RULES in SOURCE.md): an on-demand price with an OS license is the Linux
    compute price plus the license, so a price at or below the same type's Linux price in the
    region (or, where the region has no Linux price, below the type's cheapest Linux price
    anywhere) is not a price for that OS; a Windows price equal to the license part alone
    (WINDOWS_LICENSE_PER_VCPU x vCPUs) is not either. Types without facts are left out, as
    for Linux.
    """
    records, dropped = [], collections.Counter()
    for os_name, by_type in other_os.items():
        for t, regions in by_type.items():
            offered = {r: float(p) for r, p in regions.items() if p and float(p) > 0}
            if not offered:
                continue
            if t not in rows:
                dropped[(os_name, "no facts")] += len(offered)
                continue
            lowest_linux = min(linux[t].values())
            for region, price in offered.items():
                vcpus = rows[t]["vcpus"]
                if os_name == "Windows" and any(abs(price - rate * vcpus) < 1e-9 for rate in WINDOWS_LICENSE_PER_VCPU):
                    dropped[(os_name, "license part only")] += 1
                elif region in linux[t] and price <= linux[t][region]:
                    dropped[(os_name, "not above Linux")] += 1
                elif region not in linux[t] and price < lowest_linux:
                    dropped[(os_name, "below Linux anywhere")] += 1
                else:
                    records.append([t, region, os_name, fmt_float(price)])
    records.sort()
    return records, dropped


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--libcloud", required=True, help="path to apache_libcloud-*.whl")
    ap.add_argument("--moto", required=True, help="path to moto-*.whl")
    ap.add_argument("--out", default="data/", help="output directory (default: data/)")
    args = ap.parse_args(argv)

    lc_types, pricing = load_libcloud(args.libcloud)
    moto = load_moto(args.moto)
    linux = pricing["compute"]["ec2_linux"]
    updated = datetime.datetime.fromtimestamp(
        int(pricing["updated"]), datetime.timezone.utc
    ).date().isoformat()

    priced = {
        t: {r: float(p) for r, p in regions.items() if p and float(p) > 0}
        for t, regions in linux.items()
    }
    priced = {t: r for t, r in priced.items() if r}
    other_os = {name: pricing["compute"][key] for key, name in OTHER_OS}

    # libcloud siblings by family prefix, for moto-filled family/processor.
    siblings = collections.defaultdict(list)
    for t, v in lc_types.items():
        siblings[family_prefix(t)].append(v["extra"])

    rows = {}
    notes = collections.Counter()
    no_facts = []
    gpu_mem_overrides = []
    asic_mem_zeroed = []
    arch_disagreements = []

    for t in sorted(priced):
        m = moto.get(t)
        if t in lc_types:
            e = lc_types[t]["extra"]
            vcpus = leading_number(e.get("vcpu", ""))
            mem = leading_number(e.get("memory", ""))
            if vcpus is None or mem is None:
                no_facts.append(t)
                continue
            gpus = int(leading_number(e.get("gpu", "")) or 0)
            gpu_mem = leading_number(e.get("gpuMemory", "")) or 0.0
            if m is not None:
                mg, mgm = moto_gpus(m)
                if gpus > 0 and mgm > 0 and abs(gpu_mem - mgm) > GPU_MEMORY_DISAGREEMENT * mgm:
                    gpu_mem_overrides.append((t, e.get("gpuMemory"), fmt_float(mgm)))
                    gpu_mem = mgm
            if gpus == 0 and gpu_mem > 0:
                # inf/trn/dl2q report accelerator memory under gpuMemory, but
                # they have no GPUs; keep the column meaning "GPU memory".
                asic_mem_zeroed.append((t, e.get("gpuMemory")))
                gpu_mem = 0.0
            processor = e.get("physicalProcessor", "")
            proc_arch = arch_from_processor(processor)
            if m is not None:
                arch = arch_from_moto(m)
                notes["arch_from_moto"] += 1
                if arch != proc_arch:
                    arch_disagreements.append((t, processor, arch))
            else:
                arch = proc_arch
                notes["arch_from_processor"] += 1
            row = {
                "vcpus": int(vcpus),
                "memory_gib": mem,
                "gpus": gpus,
                "gpu_memory_gib": gpu_mem,
                "arch": arch,
                "network": e.get("networkPerformance", ""),
                "storage": e.get("storage", ""),
                "family": e.get("instanceFamily", ""),
                "current_generation": e.get("currentGeneration", "") == "Yes",
                "processor": processor,
            }
            notes["facts_from_libcloud"] += 1
        elif m is not None:
            vcpus = m.get("VCpuInfo", {}).get("DefaultVCpus")
            mem_mib = m.get("MemoryInfo", {}).get("SizeInMiB")
            if vcpus is None or mem_mib is None:
                no_facts.append(t)
                continue
            gpus, gpu_mem = moto_gpus(m)
            sib = siblings.get(family_prefix(t), [])
            family = most_common(s.get("instanceFamily", "") for s in sib)
            if not family:
                family = next(
                    (f for p, f in FAMILY_BY_PREFIX if t.startswith(p)), "General purpose"
                )
            arch = arch_from_moto(m)
            processor = most_common(
                s.get("physicalProcessor", "")
                for s in sib
                if arch_from_processor(s.get("physicalProcessor", "")) == arch
            )
            if not processor:
                processor = m.get("ProcessorInfo", {}).get("Manufacturer", "")
            row = {
                "vcpus": int(vcpus),
                "memory_gib": mem_mib / 1024.0,
                "gpus": gpus,
                "gpu_memory_gib": gpu_mem if gpus else 0.0,
                "arch": arch,
                "network": m.get("NetworkInfo", {}).get("NetworkPerformance", ""),
                "storage": moto_storage(m),
                "family": family,
                "current_generation": bool(m.get("CurrentGeneration", False)),
                "processor": processor,
            }
            notes["facts_from_moto"] += 1
            notes["arch_from_moto"] += 1
        else:
            no_facts.append(t)
            continue
        # Only a type with GPUs has a GPU maker; moto lists some for NVIDIA types only.
        maker, model, per_gpu = moto_gpu_model(m) if row["gpus"] > 0 else ("", "", 0.0)
        row.update(gpu_manufacturer=maker, gpu_name=model, gpu_memory_per_gpu_gib=per_gpu, burstable=burstable(t, m))
        rows[t] = row

    os.makedirs(args.out, exist_ok=True)

    def write_csv(path, header, records):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(records)
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())

    type_records = []
    for t in sorted(rows):
        r = rows[t]
        type_records.append(
            [
                t,
                str(r["vcpus"]),
                fmt_float(r["memory_gib"]),
                str(r["gpus"]),
                fmt_float(r["gpu_memory_gib"]),
                r["arch"],
                r["network"],
                r["storage"],
                r["family"],
                "true" if r["current_generation"] else "false",
                r["processor"],
                r["gpu_manufacturer"],
                r["gpu_name"],
                fmt_float(r["gpu_memory_per_gpu_gib"]),
                "true" if r["burstable"] else "false",
            ]
        )
    price_records = []
    regions = set()
    for t in sorted(rows):
        for region in sorted(priced[t]):
            regions.add(region)
            price_records.append([t, region, fmt_float(priced[t][region])])

    os_records, os_dropped = other_os_prices(other_os, rows, priced)

    write_csv(os.path.join(args.out, "instance_types.csv"), TYPES_HEADER, type_records)
    write_csv(os.path.join(args.out, "prices.csv"), PRICES_HEADER, price_records)
    write_csv(os.path.join(args.out, "os_prices.csv"), OS_PRICES_HEADER, os_records)
    os_kept = collections.Counter(r[2] for r in os_records)
    lc_name, lc_ver = wheel_name_version(args.libcloud)
    write_csv(
        os.path.join(args.out, "metadata.csv"),
        METADATA_HEADER,
        [["price_source", f"apache-libcloud {lc_ver}"], ["prices_as_of", updated]],
    )

    mo_name, mo_ver = wheel_name_version(args.moto)
    dropped_text = "; ".join(
        f"{os_name} {', '.join(f'{n} {reason}' for (o, reason), n in sorted(os_dropped.items()) if o == os_name)}"
        for _, os_name in OTHER_OS
    )
    arm = sum(1 for r in rows.values() if r["arch"] == "arm64")
    gpu_types = sum(1 for r in rows.values() if r["gpus"] > 0)
    gpu_makers = sum(1 for r in rows.values() if r["gpu_manufacturer"])
    burstable_types = sum(1 for r in rows.values() if r["burstable"])

    source_md = f"""# EC2 catalog data: provenance

Generated by `data/build_catalog.py`; do not edit the CSVs by hand.

## Sources

- `apache-libcloud=={lc_ver}` (PyPI wheel `{os.path.basename(args.libcloud)}`)
  - `{LIBCLOUD_TYPES_PATH}` (`INSTANCE_TYPES`): instance facts
  - `{LIBCLOUD_PRICING_PATH}` -> `compute.ec2_linux`: on-demand Linux prices, USD per hour;
    pricing `updated` = {updated} (unix {int(pricing["updated"])})
  - the same file's `compute.ec2_windows`, `ec2_rhel` and `ec2_suse`: on-demand Windows, RHEL
    and SUSE prices (license included), USD per hour, of the same date
- `moto=={mo_ver}` (PyPI wheel `{os.path.basename(args.moto)}`)
  - `{MOTO_TYPES_PATH}` (EC2 DescribeInstanceTypes shape): CPU architecture
    (`ProcessorInfo.SupportedArchitectures`) and full facts for priced types libcloud lacks

Both packages are licensed under the Apache License 2.0; this derived data is
redistributed under the same terms.

## Rules

- A libcloud price of 0.0 means "not offered in that region" and is dropped.
- A type is kept if it has a positive price somewhere and known vCPUs + memory.
- `arch` comes from moto when moto knows the type, otherwise from the processor
  text ("Graviton" / "Apple M" -> arm64, else x86_64).
- `gpu_memory_gib` is 0 for types with no GPUs (Inferentia/Trainium/DL2q
  accelerator memory is not GPU memory); where libcloud's figure disagrees with
  moto's total by more than {int(GPU_MEMORY_DISAGREEMENT * 100)}%, moto's total is used.
- `gpu_manufacturer`, `gpu_name` and `gpu_memory_per_gpu_gib` are moto's
  `GpuInfo.Gpus[0]` `Manufacturer`, `Name` and `MemoryInfo.SizeInMiB` / 1024; blank
  (0.0) where moto lists no GPU for a type with GPUs (g4ad, p3 among them): the
  maker is unknown, not "none".
- `burstable` is moto's `BurstablePerformanceSupported`, or for types moto lacks
  the T-family name rule (AWS's burstable performance instances are T2, T3, T3a, T4g).
- `metadata.csv` (`key,value`): `price_source` and `prices_as_of` (libcloud's pricing
  `updated` date), shown with every ranking.
- `prices.csv` holds on-demand Linux prices; `os_prices.csv`
  (`instance_type,region,operating_system,price_per_hour`) adds Windows, RHEL and SUSE, spelled
  as the price list's `operatingSystem`. The catalog's `os_prices` table holds all four (its
  Linux rows are `prices.csv`'s), so a plugin asks one table for any operating system.
- An OS price is the Linux compute price plus a license, so a Windows, RHEL or SUSE price is kept
  only if it is above the same type's Linux price in that region (where the region has no Linux
  price: not below the type's cheapest Linux price anywhere). A Windows price that equals the
  license part alone ({WINDOWS_LICENSE_PER_VCPU[0]} USD per vCPU-hour, {WINDOWS_LICENSE_PER_VCPU[1]} for the T family) is
  dropped too: libcloud holds that product instead of the price for many pairs (c5.large in
  us-east-1 is 0.092 here, 0.177 in AWS's price list). Dropped: {dropped_text}.

## Known gaps in the source

- A missing price does not always mean the type is not offered. libcloud has
  holes: t3.medium, for example, has no us-east-1 price. moto's region
  offerings list thousands of (type, region) pairs that have no price here;
  `aws-agent catalog regions` counts them per region, `catalog show` lists them as
  "offered, price unknown" and rankings say how many they left out.
- No second packaged source fills them: the PyPI packages that mention EC2 prices
  (`aws-ec2-pricing-tool`, `amazon-ec2-best-instance`, `awspricing`) ship no data and
  call AWS's Pricing API. AWS's own bulk price list fills them:
  `aws-agent catalog refresh --from-price-list --out DIR`.
- About 110 us-east-1 prices are 6%, 10% or 25% above the published list
  price (t3.small is 0.022 here, against a list price of 0.0208).
- Windows prices are the thinnest: after the rules above, {os_kept["Windows"]} (type, region)
  pairs against {len(price_records)} for Linux. A Windows price the rules keep may still be
  wrong where libcloud's Linux price is missing too.
- No reserved rates and no spot prices: libcloud carries on-demand prices only.
  `catalog refresh --from-price-list` imports the price list's Reserved terms; spot prices
  change by the hour and come from DescribeSpotPriceHistory, not from a catalog.

## Counts

- instance types: {len(rows)} (facts from libcloud: {notes["facts_from_libcloud"]}, from moto: {notes["facts_from_moto"]}; arm64: {arm}; with GPUs: {gpu_types}, their maker known: {gpu_makers}; burstable: {burstable_types})
- regions: {len(regions)}
- price rows: {len(price_records)} (Linux); os_prices.csv: Windows {os_kept["Windows"]}, RHEL {os_kept["RHEL"]}, SUSE {os_kept["SUSE"]}
- priced names skipped for lack of facts: {len(no_facts)}

## Regenerate

```sh
data/refresh.sh            # downloads the pinned wheels to a temp dir, writes into data/
# or, with wheels already at hand:
python3 data/build_catalog.py --libcloud apache_libcloud-{lc_ver}-py3-none-any.whl --moto moto-{mo_ver}-py3-none-any.whl --out data/
```

## Region names

`regions.csv` (region code, the name the AWS console shows) comes from `botocore==1.40.0`
(PyPI wheel `botocore-1.40.0-py3-none-any.whl`, Apache License 2.0),
`botocore/data/endpoints.json`, commercial partition only; written by `data/build_regions.py`.
The router reads the place in each name ("Europe (Frankfurt)" → "in Frankfurt").

## Offerings

`offerings.csv` (instance type, region) lists which catalog types each region offers, from the
same `moto=={mo_ver}` wheel (`moto/ec2/resources/instance_type_offerings/region/*.json.gz`, AWS's
DescribeInstanceTypeOfferings answers); written by `data/build_offerings.py`. A type is accepted
in a region when it is priced or offered there; offered without a price, it is "offered, price
unknown".
"""
    with open(os.path.join(args.out, "SOURCE.md"), "w", encoding="utf-8", newline="\n") as f:
        f.write(source_md)

    print(f"sources: {lc_name} {lc_ver} (pricing updated {updated}), {mo_name} {mo_ver}")
    print(f"instance types: {len(rows)}")
    print(f"  facts from libcloud: {notes['facts_from_libcloud']}")
    print(f"  facts from moto:     {notes['facts_from_moto']}")
    print(f"  arch from moto: {notes['arch_from_moto']}, from processor text: {notes['arch_from_processor']}")
    print(f"  arm64: {arm}, with GPUs: {gpu_types}")
    print(f"regions: {len(regions)}")
    print(f"price rows: {len(price_records)}")
    print(f"os price rows: {dict(os_kept)}; dropped: {dict(os_dropped)}")
    print(f"priced names without facts (skipped): {len(no_facts)}: {' '.join(no_facts)}")
    if arch_disagreements:
        print(f"arch disagreements (moto wins): {arch_disagreements}")
    else:
        print("arch disagreements between libcloud processor text and moto: 0")
    if gpu_mem_overrides:
        print(f"gpu memory taken from moto: {gpu_mem_overrides}")
    if asic_mem_zeroed:
        print(f"gpuMemory ignored on GPU-less types: {' '.join(t for t, _ in asic_mem_zeroed)}")
    print(f"wrote {args.out.rstrip('/')}/instance_types.csv, prices.csv, os_prices.csv, metadata.csv, SOURCE.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
