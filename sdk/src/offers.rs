//! The catalog's offers ranked by price: the search `find-cheapest` answers with, shared with
//! any intent that must search again with the same requirements (a region change keeps them).
//! Also the words and sums every price answer shares: operating system names, hours in a month,
//! and when a Reserved rate pays off against on demand.
use crate::{Args, Argument, Host, Rows, SqlValue, Value};

/// The hours a monthly price is counted with (AWS's pricing pages and calculator use 730).
pub const HOURS_PER_MONTH: f64 = 730.0;

/// The price list's spelling of an operating system (`Linux`, `Windows`, `RHEL`, `SUSE`) for a
/// word in any case ("windows", "rhel"); None for anything else.
pub fn operating_system(word: &str) -> Option<&'static str> {
    crate::defaults::OPERATING_SYSTEMS.into_iter().find(|os| os.eq_ignore_ascii_case(word))
}

/// Whether `market_type` (the configuration's `MarketType`) is Spot, whose prices the catalog
/// does not hold.
pub fn is_spot(market_type: &str) -> bool {
    market_type == "spot"
}

/// What an answer says of the purchase option its prices are for: nothing more for on demand;
/// for Spot, that the catalog has no spot prices and the on-demand price is the ceiling (a Spot
/// Instance never costs more than On-Demand: EC2 User Guide, "Spot Instances").
pub fn market_note(market_type: &str) -> &'static str {
    match is_spot(market_type) {
        // The seam for spot prices from DescribeSpotPriceHistory: until an intent can ask for
        // them, the ceiling is all an answer can honestly give.
        true => " Spot prices are not known here (they change by the hour and are not in the catalog); the on-demand price is the most a Spot Instance costs.",
        false => "",
    }
}

/// When a Reserved rate becomes cheaper than on demand for an instance running all month.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakEven {
    /// The first month (1-based) by whose end the lease has cost no more than on demand; None
    /// when that is never, or not within the lease.
    pub month: Option<u32>,
    /// What the whole lease saves against on demand for the same hours, as a fraction (0.38 is
    /// 38%; negative when it costs more).
    pub saving: f64,
}

/// The break-even month of a lease of `lease_years` paying `upfront` USD once and `hourly` USD
/// an hour, against `on_demand` USD an hour, counting [`HOURS_PER_MONTH`] hours a month: the
/// least m with upfront + hourly·730·m ≤ on_demand·730·m.
pub fn break_even(upfront: f64, hourly: f64, on_demand: f64, lease_years: i64) -> BreakEven {
    let months = 12 * lease_years.max(0) as u32;
    let hours = HOURS_PER_MONTH * f64::from(months);
    let saving = if on_demand > 0.0 { 1.0 - (upfront + hourly * hours) / (on_demand * hours) } else { 0.0 };
    let monthly_gain = (on_demand - hourly) * HOURS_PER_MONTH;
    let month = match monthly_gain > 0.0 {
        true => Some(((upfront / monthly_gain).ceil() as u32).max(1)).filter(|m| *m <= months),
        false => None,
    };
    BreakEven { month, saving }
}

impl BreakEven {
    /// "pays off in month 7, saves 38% over the lease", "never cheaper than on demand".
    pub fn describe(&self) -> String {
        match self.month {
            Some(1) => format!("cheaper from month 1, saves {:.0}% over the lease", self.saving * 100.0),
            Some(m) => format!("pays off in month {m}, saves {:.0}% over the lease", self.saving * 100.0),
            None => "never cheaper than on demand within the lease".into(),
        }
    }
}

/// What a search asks for: minimums, one architecture, one GPU maker, burstable or not, the
/// operating system it prices for; `None` means any (for the operating system: Linux).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    pub cpu: Option<i64>,
    /// GiB.
    pub ram: Option<f64>,
    pub gpus: Option<i64>,
    /// `x86_64` or `arm64`.
    pub arch: Option<String>,
    /// The GPUs' maker as DescribeInstanceTypes spells it (`GpuInfo.Gpus[].Manufacturer`:
    /// "NVIDIA", "AMD"); a type whose maker the catalog does not know never meets it.
    pub gpu_vendor: Option<String>,
    /// `BurstablePerformanceSupported`: the T family, which runs on CPU credits.
    pub burstable: Option<bool>,
    /// The operating system whose on-demand prices rank the types, as the price list spells it
    /// (`Windows`, `RHEL`, `SUSE`; `Linux` or None: Linux). Windows leaves out arm64 and Mac
    /// types, which AWS does not offer it on.
    pub os: Option<String>,
}

/// The constraints as SQL over `instance_types` columns, parameters ?2 to ?7 and ?9 (?1 is the
/// region, ?9 the operating system). Windows runs on x86_64 types only, never on Mac instances
/// (EC2 User Guide, "Windows instances" and "Amazon EC2 Mac instances").
macro_rules! meets {
    () => {
        "vcpus >= coalesce(?2, 0) AND memory_gib >= coalesce(?3, 0) AND gpus >= coalesce(?4, 0) AND arch = coalesce(?5, arch)
         AND (?6 IS NULL OR upper(gpu_manufacturer) = upper(?6)) AND burstable = coalesce(?7, burstable)
         AND (?9 <> 'Windows' OR (arch = 'x86_64' AND instance_type NOT LIKE 'mac%'))"
    };
}

// Ties on price go to the smaller machine, then to the name, so answers never flicker. The prices
// are walked in price order (INDEXED BY): left to itself, SQLite 3.50 reads a region's every price
// by primary key and sorts them, 0.42 ms against 0.07 ms for the full catalog's us-east-1.
const CHEAPEST: &str = concat!(
    "SELECT instance_type, vcpus, memory_gib, gpus, arch, network, price_per_hour
     FROM os_prices INDEXED BY os_prices_by_region_price JOIN instance_types USING (instance_type) WHERE region = ?1 AND operating_system = ?9 AND ",
    meets!(),
    " ORDER BY price_per_hour, vcpus, memory_gib, gpus, instance_type LIMIT ?8"
);

// Offered in the region (DescribeInstanceTypeOfferings) and meeting the constraints, but not
// priced; `n` counts them all while only the first ?8 names cross into the plugin. For Linux the
// catalog keeps them in a table, because the anti-join costs more than the search itself.
const UNPRICED_LINUX: &str = concat!(
    "SELECT count(*) OVER () AS n, instance_type FROM unpriced_offerings u JOIN instance_types USING (instance_type) WHERE u.region = ?1 AND ",
    meets!(),
    " ORDER BY vcpus, memory_gib, instance_type LIMIT ?8"
);
const UNPRICED: &str = concat!(
    "SELECT count(*) OVER () AS n, instance_type FROM offerings o JOIN instance_types USING (instance_type) WHERE o.region = ?1 AND ",
    meets!(),
    " AND NOT EXISTS (SELECT 1 FROM os_prices p WHERE p.region = ?1 AND p.operating_system = ?9 AND p.instance_type = o.instance_type)
     ORDER BY vcpus, memory_gib, instance_type LIMIT ?8"
);

// Priced GPU types that meet everything but the maker, whose maker the catalog does not know.
const UNKNOWN_MAKER: &str = concat!(
    "SELECT count(*) OVER () AS n, instance_type FROM os_prices INDEXED BY os_prices_by_region_price JOIN instance_types USING (instance_type)
     WHERE region = ?1 AND operating_system = ?9 AND ",
    meets!(),
    " AND gpus > 0 AND gpu_manufacturer = '' ORDER BY price_per_hour, instance_type LIMIT ?8"
);

/// How many names a note lists before "…".
const NAMED: i64 = 3;

impl Constraints {
    /// The constraints among `args` (the searching intent's own parameter names).
    pub fn from_args(args: &Args) -> Constraints {
        Constraints {
            cpu: args.int("cpu"),
            ram: args.float("ram"),
            gpus: args.int("gpus"),
            arch: args.text("arch").map(String::from),
            gpu_vendor: args.text("gpu_vendor").map(str::to_uppercase),
            burstable: args.text("burstable").map(|b| b == "yes"),
            os: args.text("os").and_then(operating_system).map(String::from),
        }
    }

    /// The operating system the prices are for: `Linux` unless another is asked for.
    pub fn operating_system(&self) -> &str {
        self.os.as_deref().unwrap_or(crate::defaults::OPERATING_SYSTEM)
    }

    /// `args` laid over these: a value given replaces the remembered one, and 0 drops a
    /// minimum ("any memory is fine", "forget the GPU").
    pub fn updated(&self, args: &Args) -> Constraints {
        let given = Constraints::from_args(args);
        let keep_positive = |new: Option<f64>, old: Option<f64>| match new {
            Some(v) if v <= 0.0 => None,
            Some(v) => Some(v),
            None => old,
        };
        Constraints {
            cpu: keep_positive(given.cpu.map(|v| v as f64), self.cpu.map(|v| v as f64)).map(|v| v as i64),
            ram: keep_positive(given.ram, self.ram),
            gpus: keep_positive(given.gpus.map(|v| v as f64), self.gpus.map(|v| v as f64)).map(|v| v as i64),
            arch: given.arch.or_else(|| self.arch.clone()),
            gpu_vendor: given.gpu_vendor.or_else(|| self.gpu_vendor.clone()),
            burstable: given.burstable.or(self.burstable),
            os: given.os.or_else(|| self.os.clone()),
        }
    }

    /// The constraints as arguments, for [`crate::Requirements::constraints`].
    pub fn to_arguments(&self) -> Vec<Argument> {
        let arg = |name: &str, value: Value| Argument { name: name.into(), value };
        [
            self.cpu.map(|v| arg("cpu", Value::Int(v))),
            self.ram.map(|v| arg("ram", Value::Float(v))),
            self.gpus.map(|v| arg("gpus", Value::Int(v))),
            self.arch.clone().map(|v| arg("arch", Value::Text(v))),
            self.gpu_vendor.clone().map(|v| arg("gpu_vendor", Value::Text(v))),
            self.burstable.map(|b| arg("burstable", Value::Text(if b { "yes" } else { "no" }.into()))),
            self.os.clone().filter(|os| os != crate::defaults::OPERATING_SYSTEM).map(|os| arg("os", Value::Text(os.to_lowercase()))),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// Which of these were kept from `earlier` rather than given in `args`.
    pub fn kept_from(&self, earlier: &Constraints, args: &Args) -> Constraints {
        let given = Constraints::from_args(args);
        Constraints {
            cpu: self.cpu.filter(|_| given.cpu.is_none() && earlier.cpu.is_some()),
            ram: self.ram.filter(|_| given.ram.is_none() && earlier.ram.is_some()),
            gpus: self.gpus.filter(|_| given.gpus.is_none() && earlier.gpus.is_some()),
            arch: self.arch.clone().filter(|_| given.arch.is_none() && earlier.arch.is_some()),
            gpu_vendor: self.gpu_vendor.clone().filter(|_| given.gpu_vendor.is_none() && earlier.gpu_vendor.is_some()),
            burstable: self.burstable.filter(|_| given.burstable.is_none() && earlier.burstable.is_some()),
            // The operating system follows the configuration, not the earlier search.
            os: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// The constraints in words, so the user sees exactly what was applied.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            self.cpu.map(|c| format!(">= {c} vCPUs")),
            self.ram.map(|r| format!(">= {} GiB memory", (r * 1000.0).round() / 1000.0)),
            self.gpus.map(|g| format!(">= {g} GPUs")),
            self.arch.as_ref().map(|a| format!("{a} architecture")),
            self.gpu_vendor.as_ref().map(|v| format!("{v} GPUs")),
            self.burstable.map(|b| if b { "burstable".into() } else { "not burstable".into() }),
            self.os.as_ref().filter(|os| *os != crate::defaults::OPERATING_SYSTEM).map(|os| format!("for {os}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() { "no constraints".into() } else { parts.join(", ") }
    }
}

/// A ranking and what it could not rank: offered types without a price, and (for a GPU maker
/// asked for) GPU types whose maker the catalog does not know.
pub struct Ranking {
    /// Columns instance_type, vcpus, memory_gib, gpus, arch, network, price_per_hour; cheapest first.
    pub offers: Rows,
    pub unpriced: LeftOut,
    pub unknown_maker: LeftOut,
    /// The operating system the prices are for.
    pub operating_system: String,
}

/// Types left out of a ranking: how many, and the first few names.
#[derive(Debug, Default, PartialEq)]
pub struct LeftOut {
    pub count: i64,
    pub first: Vec<String>,
}

impl LeftOut {
    fn from_rows(rows: &Rows) -> LeftOut {
        LeftOut { count: rows.first().map_or(0, |r| r.i64("n")), first: rows.iter().map(|r| r.text("instance_type")).collect() }
    }

    /// "t3.medium, c7a.large, …"
    fn named(&self) -> String {
        let more = if self.count > self.first.len() as i64 { ", …" } else { "" };
        format!("{}{more}", self.first.join(", "))
    }
}

impl Ranking {
    /// What was left out, in sentences ("" when nothing was).
    pub fn left_out(&self) -> String {
        let mut out = String::new();
        let price = match self.operating_system.as_str() {
            crate::defaults::OPERATING_SYSTEM => "price".to_string(),
            os => format!("{os} price"),
        };
        match self.unpriced.count {
            0 => {}
            1 => out += &format!(" 1 offered type has no {price} here and is not ranked ({}).", self.unpriced.named()),
            n => out += &format!(" {n} offered types have no {price} here and are not ranked ({}).", self.unpriced.named()),
        }
        match self.unknown_maker.count {
            0 => {}
            1 => out += &format!(" 1 GPU type was left out because the catalog does not know its GPU maker ({}).", self.unknown_maker.named()),
            n => out += &format!(" {n} GPU types were left out because the catalog does not know their GPU maker ({}).", self.unknown_maker.named()),
        }
        out
    }
}

/// The `limit` cheapest offers in `region` that meet `c`, and what could not be ranked.
pub fn rank(host: &mut impl Host, region: &str, c: &Constraints, limit: i64) -> Result<Ranking, String> {
    let offers = cheapest(host, region, c, limit)?;
    let os = c.operating_system();
    let unpriced = if os == crate::defaults::OPERATING_SYSTEM { UNPRICED_LINUX } else { UNPRICED };
    let unpriced = LeftOut::from_rows(&host.query(unpriced, &params(region, c, NAMED))?);
    let unknown_maker = match c.gpu_vendor {
        Some(_) => LeftOut::from_rows(&host.query(UNKNOWN_MAKER, &params(region, &Constraints { gpu_vendor: None, ..c.clone() }, NAMED))?),
        None => LeftOut::default(),
    };
    Ok(Ranking { offers, unpriced, unknown_maker, operating_system: os.to_string() })
}

/// The `limit` cheapest offers in `region` that meet `c`, cheapest first at `c`'s operating
/// system's on-demand price, with the columns instance_type, vcpus, memory_gib, gpus, arch,
/// network, price_per_hour.
pub fn cheapest(host: &mut impl Host, region: &str, c: &Constraints, limit: i64) -> Result<Rows, String> {
    host.query(CHEAPEST, &params(region, c, limit))
}

fn params(region: &str, c: &Constraints, limit: i64) -> [SqlValue; 9] {
    let burstable = c.burstable.map(i64::from);
    [
        region.into(),
        c.cpu.into(),
        c.ram.into(),
        c.gpus.into(),
        c.arch.as_deref().into(),
        c.gpu_vendor.as_deref().into(),
        burstable.into(),
        limit.into(),
        c.operating_system().into(),
    ]
}

/// "Prices as of 2025-03-02 (apache-libcloud 3.9.1)." from a catalog's `metadata` (`price_source`,
/// `prices_as_of`), saying so where it does not tell.
pub fn prices_as_of(as_of: Option<&str>, source: Option<&str>) -> String {
    format!("Prices as of {} ({}).", as_of.unwrap_or("an unknown date"), source.unwrap_or("source not recorded"))
}

/// Whether `region` has on-demand prices for `operating_system`, and if so [`prices_as_of`] for
/// them, in one statement: a search asks both every time. A catalog's `metadata` may lack either key.
pub fn prices_in(host: &mut impl Host, region: &str, operating_system: &str) -> Result<Option<String>, String> {
    let sql = "SELECT (SELECT value FROM metadata WHERE key = 'prices_as_of') AS prices_as_of,
                      (SELECT value FROM metadata WHERE key = 'price_source') AS price_source
               FROM os_prices WHERE region = ?1 AND operating_system = ?2 LIMIT 1";
    let rows = host.query(sql, &[region.into(), operating_system.into()])?;
    Ok(rows.first().map(|r| prices_as_of(r.get("prices_as_of").as_str(), r.get("price_source").as_str())))
}

/// The regions with on-demand prices for `operating_system`, sorted.
pub fn priced_regions(host: &mut impl Host, operating_system: &str) -> Result<Vec<String>, String> {
    let rows = host.query("SELECT DISTINCT region FROM os_prices WHERE operating_system = ?1 ORDER BY region", &[operating_system.into()])?;
    Ok(rows.iter().map(|r| r.text("region")).collect())
}

/// Whether `region` has `instance_type`: priced there, or among its offerings.
pub fn offered(host: &mut impl Host, instance_type: &str, region: &str) -> Result<bool, String> {
    let sql =
        "SELECT 1 FROM prices WHERE instance_type = ?1 AND region = ?2 UNION ALL SELECT 1 FROM offerings WHERE instance_type = ?1 AND region = ?2 LIMIT 1";
    let found = host.query(sql, &[instance_type.into(), region.into()])?;
    Ok(!found.is_empty())
}

/// A type's own size as constraints: what to look for when it is not offered somewhere.
pub fn size_of(host: &mut impl Host, instance_type: &str) -> Result<Constraints, String> {
    let found = host.query("SELECT vcpus, memory_gib, gpus, arch FROM instance_types WHERE instance_type = ?1", &[instance_type.into()])?;
    Ok(found.first().map_or_else(Constraints::default, |r| Constraints {
        cpu: Some(r.i64("vcpus")),
        ram: Some(r.f64("memory_gib")),
        gpus: Some(r.i64("gpus")).filter(|g| *g > 0),
        arch: Some(r.text("arch")),
        ..Constraints::default()
    }))
}

impl From<&[Argument]> for Constraints {
    fn from(args: &[Argument]) -> Constraints {
        Constraints::from_args(&Args::new(args.to_vec()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_even_is_the_first_month_the_lease_has_cost_no_more() {
        // 100 up front, 0.05/hour against 0.10/hour: 36.5 saved a month, even in month 3.
        let b = break_even(100.0, 0.05, 0.10, 1);
        assert_eq!(b.month, Some(3));
        assert!((b.saving - (1.0 - (100.0 + 0.05 * 8760.0) / (0.10 * 8760.0))).abs() < 1e-12, "{b:?}");
        assert_eq!(break_even(0.0, 0.06, 0.10, 1).month, Some(1), "no upfront: cheaper from the start");
        assert_eq!(break_even(0.0, 0.12, 0.10, 3).month, None, "a dearer rate never pays off");
        assert_eq!(break_even(10_000.0, 0.0, 0.10, 1).month, None, "not within the lease");
        assert_eq!(break_even(500.0, 0.0, 0.10, 1).describe(), "pays off in month 7, saves 43% over the lease");
    }

    #[test]
    fn operating_systems_are_read_in_any_case_and_spelled_as_the_price_list() {
        assert_eq!(["windows", "RHEL", "Suse", "linux"].map(operating_system), [Some("Windows"), Some("RHEL"), Some("SUSE"), Some("Linux")]);
        assert_eq!(operating_system("ubuntu"), None);
        let c = Constraints::from_args(&Args::of(&[("os", "windows".into())]));
        assert_eq!((c.operating_system(), c.describe().as_str()), ("Windows", "for Windows"));
        assert_eq!(Constraints::from(c.to_arguments().as_slice()), c, "kept in the requirements");
        assert_eq!(Constraints::default().operating_system(), "Linux");
    }
}
