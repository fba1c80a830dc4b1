//! Instance facts from the EC2 API (DescribeInstanceTypes), in the catalog's own shape.
//!
//! Paged, for `catalog refresh --from-ec2-api`.
use super::AwsError;
use super::client::Clients;
use crate::catalog::InstanceFacts;
use aws_sdk_ec2::types::{ArchitectureType, InstanceTypeInfo};

pub async fn describe_all(clients: &Clients) -> Result<Vec<InstanceFacts>, AwsError> {
    let mut facts = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = clients
            .ec2
            .describe_instance_types()
            .set_next_token(token.take())
            .max_results(100)
            .send()
            .await
            .map_err(|e| clients.describe("DescribeInstanceTypes", e))?;
        facts.extend(page.instance_types().iter().filter_map(to_facts));
        match page.next_token() {
            Some(next) if !next.is_empty() => token = Some(next.to_string()),
            _ => break,
        }
    }
    facts.sort_by(|a, b| a.instance_type.cmp(&b.instance_type));
    Ok(facts)
}

/// None for a type the API describes without vCPUs or memory: the catalog cannot rank it.
fn to_facts(info: &InstanceTypeInfo) -> Option<InstanceFacts> {
    let name = info.instance_type()?.as_str().to_string();
    let vcpus = i64::from(info.v_cpu_info()?.default_v_cpus()?);
    let memory_gib = info.memory_info()?.size_in_mib()? as f64 / 1024.0;
    let gpu = info.gpu_info();
    let gpus = gpu.map_or(0, |g| g.gpus().iter().map(|d| i64::from(d.count().unwrap_or(0))).sum());
    let first_gpu = gpu.and_then(|g| g.gpus().first());
    let gpu_memory_gib = gpu.and_then(|g| g.total_gpu_memory_in_mib()).map_or(0.0, |m| f64::from(m) / 1024.0);
    let arm =
        info.processor_info().is_some_and(|p| p.supported_architectures().iter().any(|a| matches!(a, ArchitectureType::Arm64 | ArchitectureType::Arm64Mac)));
    let storage = match info.instance_storage_info() {
        Some(s) if info.instance_storage_supported() == Some(true) => s
            .disks()
            .iter()
            .map(|d| format!("{} x {} GB {}", d.count().unwrap_or(1), d.size_in_gb().unwrap_or(0), d.r#type().map_or("", |t| t.as_str()).to_uppercase()))
            .collect::<Vec<_>>()
            .join(", "),
        _ => "EBS only".into(),
    };
    Some(InstanceFacts {
        family: name.split('.').next().unwrap_or_default().to_string(),
        instance_type: name,
        vcpus,
        memory_gib,
        gpus,
        gpu_memory_gib,
        arch: if arm { "arm64" } else { "x86_64" }.into(),
        network: info.network_info().and_then(|n| n.network_performance()).unwrap_or_default().to_string(),
        storage,
        current_generation: info.current_generation().unwrap_or(false),
        processor: info.processor_info().and_then(|p| p.manufacturer()).unwrap_or_default().to_string(),
        gpu_manufacturer: first_gpu.and_then(|g| g.manufacturer()).unwrap_or_default().to_string(),
        gpu_name: first_gpu.and_then(|g| g.name()).unwrap_or_default().to_string(),
        gpu_memory_per_gpu_gib: first_gpu.and_then(|g| g.memory_info()).and_then(|m| m.size_in_mib()).map_or(0.0, |m| f64::from(m) / 1024.0),
        burstable: info.burstable_performance_supported().unwrap_or(false),
        prices: Default::default(),
        offered_price_unknown: Vec::new(),
    })
}
