//! Current Spot prices from DescribeSpotPriceHistory: with `StartTime` now, AWS answers the
//! price in effect in each zone (EC2 API reference, DescribeSpotPriceHistory: "the last price
//! change before the start time"). Only entries for the product description asked for count:
//! moto answers every query with a placeholder ("Linux/UNIX (Amazon VPC)", $0.00001, dated 2006),
//! which is no price at all.
use super::AwsError;
use super::client::Clients;
use crate::capability::aws::SpotPrice;
use aws_sdk_ec2::primitives::DateTime;
use aws_sdk_ec2::types::InstanceType;

/// DescribeSpotPriceHistory's `ProductDescription` for an operating system as the price list
/// spells it.
fn product_description(operating_system: &str) -> &'static str {
    match operating_system {
        "Windows" => "Windows",
        "RHEL" => "Red Hat Enterprise Linux",
        "SUSE" => "SUSE Linux",
        _ => "Linux/UNIX",
    }
}

/// The newest price per zone, cheapest first.
pub async fn current(clients: &Clients, instance_type: &str, operating_system: &str) -> Result<Vec<SpotPrice>, AwsError> {
    let mut prices: Vec<SpotPrice> = Vec::new();
    let asked = product_description(operating_system);
    let mut token = None;
    loop {
        let page = clients
            .ec2
            .describe_spot_price_history()
            .instance_types(InstanceType::from(instance_type))
            .product_descriptions(asked)
            .start_time(DateTime::from(std::time::SystemTime::now()))
            .set_next_token(token.take())
            .send()
            .await
            .map_err(|e| clients.describe("DescribeSpotPriceHistory", e))?;
        for p in page.spot_price_history().iter().filter(|p| p.product_description().is_some_and(|d| d.as_str() == asked)) {
            let (Some(zone), Some(price)) = (p.availability_zone(), p.spot_price().and_then(|s| s.parse::<f64>().ok())) else { continue };
            let timestamp = p.timestamp().map(|t| t.to_string()).unwrap_or_default();
            match prices.iter_mut().find(|known| known.availability_zone == zone) {
                Some(known) if known.timestamp < timestamp => *known = SpotPrice { availability_zone: zone.into(), price_per_hour: price, timestamp },
                Some(_) => {}
                None => prices.push(SpotPrice { availability_zone: zone.into(), price_per_hour: price, timestamp }),
            }
        }
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    prices.sort_by(|a, b| a.price_per_hour.total_cmp(&b.price_per_hour).then_with(|| a.availability_zone.cmp(&b.availability_zone)));
    Ok(prices)
}
