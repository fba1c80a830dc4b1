//! Prices from AWS's public bulk Price List (no credentials): the EC2 region index, then each
//! region's offer file, kept to shared tenancy, no pre-installed software, license included
//! (`License Model` "No License required"), the operating systems Linux, Windows, RHEL and SUSE:
//! their on-demand prices and their Standard Reserved terms (`TermType` Reserved, `OfferingClass`
//! standard, `LeaseContractLength` 1yr or 3yr, `PurchaseOption` No / Partial / All Upfront).
//!
//! Format (AWS Billing docs, "Reading the service price list file"): the region index
//! `{BASE}/offers/v1.0/aws/AmazonEC2/current/region_index.json` has `publicationDate` and
//! `regions.{code}.currentVersionUrl` (a path to the region's `index.json`; the same path ending
//! in `index.csv` is the CSV form). A CSV offer file opens with five metadata rows (FormatVersion,
//! Disclaimer, Publication Date, Version, OfferCode), then the header row, then one row per price
//! dimension. A Reserved term is two dimensions of one SKU and term: `Unit` Hrs, the hourly rate,
//! and `Unit` Quantity, the "Upfront Fee" (No Upfront has no fee row; All Upfront's hourly rate is 0).
//!
//! Why CSV over a blocking reqwest body: a region's offer file is hundreds of MB, and the JSON form
//! puts products and terms in two maps that must be joined, so it cannot be read row by row. The
//! CSV form carries product and price on one row, so `csv` reads it straight off the socket
//! (`reqwest::blocking::Response` is `Read`) and only the kept prices stay in memory. The command
//! does nothing else meanwhile, so a blocking client is the simplest thing that streams.
use super::{CatalogError, Provenance, ReservedRate};
use aws_agent_sdk::defaults::OPERATING_SYSTEMS;
use std::collections::BTreeMap;
use std::io::Read;

/// AWS's public price list host.
pub const DEFAULT_BASE: &str = "https://pricing.us-east-1.amazonaws.com";
const REGION_INDEX: &str = "/offers/v1.0/aws/AmazonEC2/current/region_index.json";
/// The rows kept, whatever their term: (column, value). A row must match every one.
const KEEP: [(&str, &str); 4] = [("Tenancy", "Shared"), ("Pre Installed S/W", "NA"), ("CapacityStatus", "Used"), ("License Model", "No License required")];
/// The Reserved purchase options kept (`PurchaseOption`).
const PURCHASE_OPTIONS: [&str; 3] = ["No Upfront", "Partial Upfront", "All Upfront"];

#[derive(Debug, thiserror::Error)]
pub enum PriceListError {
    #[error("{url}: {message}")]
    Http { url: String, message: String },
    #[error("{url}: not the EC2 price list format: {message}")]
    Shape { url: String, message: String },
    #[error("region {0} is not in the price list's region index")]
    UnknownRegion(String),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegionIndex {
    publication_date: String,
    regions: BTreeMap<String, RegionEntry>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RegionEntry {
    current_version_url: String,
}

/// Prices read from the price list, and where they come from.
#[derive(Default)]
pub struct Prices {
    /// (instance type, region, operating system) → USD per hour on demand.
    pub on_demand: BTreeMap<(String, String, String), f64>,
    /// Standard Reserved terms, ordered by type, region, operating system, lease, purchase option.
    pub reserved: Vec<ReservedRate>,
    pub provenance: Provenance,
}

/// (instance type, region, operating system, lease years, purchase option).
type TermKey = (String, String, String, i64, String);

/// A Reserved term's two dimensions as they are read: (upfront fee, hourly rate).
#[derive(Default)]
struct Term {
    upfront: Option<f64>,
    hourly: Option<f64>,
}

/// Reads the region index at `base`, then the offer file of each of `regions` (every region in
/// the index when empty), showing a progress bar per file on a terminal. Errors: an HTTP failure
/// or status, a region the index lacks, a file in another shape or cut short.
pub fn fetch(base: &str, regions: &[String]) -> Result<Prices, PriceListError> {
    let client = reqwest::blocking::Client::builder().timeout(None).build().map_err(|e| PriceListError::Http { url: base.into(), message: e.to_string() })?;
    let index_url = format!("{}{REGION_INDEX}", base.trim_end_matches('/'));
    let index: RegionIndex = serde_json::from_reader(get(&client, &index_url)?)
        .map_err(|e| PriceListError::Shape { url: index_url.clone(), message: format!("region index: {e}") })?;
    let wanted: Vec<String> = if regions.is_empty() { index.regions.keys().cloned().collect() } else { regions.to_vec() };
    let (mut on_demand, mut terms) = (BTreeMap::new(), BTreeMap::new());
    let (mut version, mut published) = (String::new(), index.publication_date.clone());
    for region in &wanted {
        let entry = index.regions.get(region).ok_or_else(|| PriceListError::UnknownRegion(region.clone()))?;
        let path = entry.current_version_url.strip_suffix(".json").map_or(entry.current_version_url.clone(), |p| format!("{p}.csv"));
        let url = format!("{}{path}", base.trim_end_matches('/'));
        let response = get(&client, &url)?;
        let bar = indicatif::ProgressBar::with_draw_target(response.content_length(), indicatif::ProgressDrawTarget::stderr());
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message(region.clone());
        let mut metadata = read_offer_file(bar.wrap_read(response), &url, &mut on_demand, &mut terms)?;
        (version, published) = (metadata.remove("Version").unwrap_or_default(), metadata.remove("Publication Date").unwrap_or(published));
        bar.finish_and_clear();
    }
    // "2025-03-01T00:00:00Z": the day is what answers show.
    let date = published.get(..10).unwrap_or(&published).to_string();
    let provenance = Provenance { price_source: Some(format!("AWS Price List, AmazonEC2 {version}")), prices_as_of: Some(date) };
    Ok(Prices { on_demand, reserved: reserved_rates(terms), provenance })
}

/// Whole terms: No Upfront has no fee row and All Upfront pays 0 an hour, so their missing
/// dimension is 0; a Partial Upfront term needs both and is left out without one.
fn reserved_rates(terms: BTreeMap<TermKey, Term>) -> Vec<ReservedRate> {
    terms
        .into_iter()
        .filter_map(|((instance_type, region, operating_system, lease_years, purchase_option), term)| {
            let (upfront_usd, hourly_usd) = match (purchase_option.as_str(), term.upfront, term.hourly) {
                (_, Some(upfront), Some(hourly)) => (upfront, hourly),
                ("No Upfront", None, Some(hourly)) => (0.0, hourly),
                ("All Upfront", Some(upfront), None) => (upfront, 0.0),
                _ => return None,
            };
            Some(ReservedRate { instance_type, region, operating_system, lease_years, purchase_option, upfront_usd, hourly_usd })
        })
        .collect()
}

fn get(client: &reqwest::blocking::Client, url: &str) -> Result<reqwest::blocking::Response, PriceListError> {
    let http = |message: String| PriceListError::Http { url: url.into(), message };
    let response = client.get(url).send().map_err(|e| http(e.to_string()))?;
    match response.status() {
        s if s.is_success() => Ok(response),
        s => Err(http(format!("HTTP {s}"))),
    }
}

/// Adds the kept on-demand prices and Reserved dimensions of one CSV offer file; returns its
/// metadata rows by name.
fn read_offer_file(
    body: impl Read,
    url: &str,
    on_demand: &mut BTreeMap<(String, String, String), f64>,
    terms: &mut BTreeMap<TermKey, Term>,
) -> Result<BTreeMap<&'static str, String>, PriceListError> {
    let shape = |message: String| PriceListError::Shape { url: url.into(), message };
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(body);
    let mut records = reader.records();
    let mut next = |what: &str| records.next().ok_or_else(|| shape(format!("ends before its {what}")))?.map_err(|e| shape(e.to_string()));
    let mut metadata = BTreeMap::new();
    for name in ["FormatVersion", "Disclaimer", "Publication Date", "Version", "OfferCode"] {
        let row = next(name)?;
        if row.get(0) != Some(name) {
            return Err(shape(format!("expected the metadata row {name:?}, found {:?}", row.get(0).unwrap_or_default())));
        }
        metadata.insert(name, row.get(1).unwrap_or_default().to_string());
    }
    if metadata["OfferCode"] != "AmazonEC2" {
        return Err(shape(format!("OfferCode is {:?}, not AmazonEC2", metadata["OfferCode"])));
    }
    let header = next("header")?;
    let column = |name: &str| header.iter().position(|h| h == name).ok_or_else(|| shape(format!("no column {name:?}")));
    let (instance_type, region, price) = (column("Instance Type")?, column("Region Code")?, column("PricePerUnit")?);
    let (term_type, os, unit) = (column("TermType")?, column("Operating System")?, column("Unit")?);
    let (lease, option, class) = (column("LeaseContractLength")?, column("PurchaseOption")?, column("OfferingClass")?);
    let keep: Vec<(usize, &str)> = KEEP.iter().map(|(name, value)| Ok((column(name)?, *value))).collect::<Result<_, PriceListError>>()?;
    for (line, row) in records.enumerate() {
        let row = row.map_err(|e| shape(e.to_string()))?;
        // A short last row is a file cut off in transfer.
        if row.len() != header.len() {
            return Err(shape(format!("row {} has {} of {} columns: the file is cut short or malformed", line + 7, row.len(), header.len())));
        }
        if !keep.iter().all(|(i, value)| &row[*i] == *value) || row[instance_type].is_empty() || !OPERATING_SYSTEMS.contains(&&row[os]) {
            continue;
        }
        let usd: f64 = row[price].parse().map_err(|_| shape(format!("row {}: PricePerUnit {:?} is not a number", line + 7, &row[price])))?;
        let (name, place, system) = (row[instance_type].to_string(), row[region].to_string(), row[os].to_string());
        match (&row[term_type], &row[unit]) {
            // A zero on-demand price marks a type listed but not sold there, as in libcloud's data.
            ("OnDemand", "Hrs") if usd > 0.0 => {
                on_demand.insert((name, place, system), usd);
            }
            ("Reserved", unit @ ("Hrs" | "Quantity")) if &row[class] == "standard" && PURCHASE_OPTIONS.contains(&&row[option]) => {
                let years = match &row[lease] {
                    "1yr" => 1,
                    "3yr" => 3,
                    _ => continue,
                };
                let term = terms.entry((name, place, system, years, row[option].to_string())).or_default();
                match unit {
                    "Hrs" => term.hourly = Some(usd),
                    _ => term.upfront = Some(usd),
                }
            }
            _ => {}
        }
    }
    Ok(metadata)
}
