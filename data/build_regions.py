#!/usr/bin/env python3
"""Writes regions.csv (region, name) from botocore's endpoint data.

Usage: build_regions.py --botocore botocore-X-py3-none-any.whl --out DIR

botocore/data/endpoints.json lists every region of every partition with the description the
AWS console shows ("Europe (Frankfurt)"). Only the commercial partition ("aws") is kept: the
others (China, GovCloud, ISO, EUSC) need accounts of their own and have no prices here.
"""
import argparse
import csv
import json
import zipfile
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--botocore", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    args = parser.parse_args()
    with zipfile.ZipFile(args.botocore) as wheel:
        endpoints = json.loads(wheel.read("botocore/data/endpoints.json"))
    regions = {}
    for partition in endpoints["partitions"]:
        if partition["partition"] == "aws":
            regions.update({code: r["description"] for code, r in partition["regions"].items()})
    with open(args.out / "regions.csv", "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["region", "name"])
        for code in sorted(regions):
            out.writerow([code, regions[code]])


if __name__ == "__main__":
    main()
