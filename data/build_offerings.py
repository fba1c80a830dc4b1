#!/usr/bin/env python3
"""Writes offerings.csv (instance_type, region): which catalog types each region offers.

Usage: build_offerings.py --moto moto-X-py3-none-any.whl --types data/instance_types.csv --out DIR

moto ships AWS's DescribeInstanceTypeOfferings answers per region
(moto/ec2/resources/instance_type_offerings/region/<region>.json.gz). A type a region offers may
still have no price in the catalog (t3.medium in us-east-1): it is offered, price unknown. Only
types the catalog describes are kept; regions moto has no file for have no rows (unknown).
"""
import argparse
import csv
import gzip
import json
import zipfile
from pathlib import Path

PREFIX = "moto/ec2/resources/instance_type_offerings/region/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--moto", required=True, type=Path)
    parser.add_argument("--types", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    with open(args.types, newline="") as f:
        known = {row["instance_type"] for row in csv.DictReader(f)}
    rows = set()
    with zipfile.ZipFile(args.moto) as wheel:
        for name in wheel.namelist():
            if name.startswith(PREFIX) and name.endswith(".json.gz"):
                for offer in json.loads(gzip.decompress(wheel.read(name))):
                    if offer["InstanceType"] in known:
                        rows.add((offer["InstanceType"], offer["Location"]))
    with open(args.out / "offerings.csv", "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["instance_type", "region"])
        out.writerows(sorted(rows))


if __name__ == "__main__":
    main()
