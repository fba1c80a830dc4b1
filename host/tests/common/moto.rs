//! One moto server per test binary, shared by its tests one at a time and reset (moto's reset
//! API) before each, and what really exists on it, read by boto3 from the project's venv.
use serde_json::Value;
use std::process::Command;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

pub struct Moto {
    pub url: String,
}

pub fn venv(program: &str) -> std::path::PathBuf {
    let path = super::repo().join(".venv/bin").join(program);
    assert!(path.is_file(), "{} is missing: `make test` installs it", path.display());
    path
}

/// The shared server, reset, for as long as the guard is held.
pub fn shared() -> MutexGuard<'static, Moto> {
    static MOTO: OnceLock<Mutex<Moto>> = OnceLock::new();
    let lock = MOTO.get_or_init(|| {
        // The server dies with the thread that started it (PR_SET_PDEATHSIG), so a thread that
        // lives as long as the test binary starts it.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let moto = aws_agent::aws::Simulator::start(&venv("moto_server")).expect("moto starts");
            tx.send(moto.url.clone()).expect("the test waits for the URL");
            loop {
                std::thread::park();
            }
        });
        Mutex::new(Moto { url: rx.recv().expect("moto started") })
    });
    let moto = lock.lock().unwrap_or_else(PoisonError::into_inner);
    moto.reset();
    moto
}

impl Moto {
    pub fn reset(&self) {
        let out = Command::new("curl").args(["-s", "-X", "POST", &format!("{}/moto-api/reset", self.url)]).output().expect("curl runs");
        assert!(out.status.success(), "moto reset failed: {out:?}");
    }

    /// Runs `script` with boto3 clients `ec2`, `asg` and `ssm` for `region` on this server; it
    /// prints JSON.
    pub fn boto3_in(&self, region: &str, script: &str) -> Value {
        let prelude = format!(
            "import boto3, json\nkw = dict(endpoint_url={:?}, region_name={region:?}, aws_access_key_id='t', aws_secret_access_key='t')\nec2 = boto3.client('ec2', **kw)\nasg = boto3.client('autoscaling', **kw)\nssm = boto3.client('ssm', **kw)\ncfn = boto3.client('cloudformation', **kw)\n",
            self.url
        );
        let out = Command::new(venv("python")).args(["-c", &format!("{prelude}{script}")]).output().expect("python runs");
        assert!(out.status.success(), "boto3 script failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    pub fn boto3(&self, script: &str) -> Value {
        self.boto3_in("us-east-1", script)
    }

    /// What exists in `region`, as boto3 sees it: `groups` [{name, min, max, desired, instances,
    /// spot}], `templates` {name: [instance type of each version]}, and live `instances` [{id,
    /// type, lifecycle, subnet, tags}].
    pub fn counts_in(&self, region: &str) -> Value {
        self.boto3_in(
            region,
            r#"
groups = [{'name': g['AutoScalingGroupName'], 'min': g['MinSize'], 'max': g['MaxSize'], 'desired': g['DesiredCapacity'],
           'instances': len(g['Instances']),
           'spot': g.get('MixedInstancesPolicy', {}).get('InstancesDistribution', {}).get('OnDemandPercentageAboveBaseCapacity') == 0}
          for g in asg.describe_auto_scaling_groups()['AutoScalingGroups']]
templates = {}
for t in ec2.describe_launch_templates()['LaunchTemplates']:
    versions = ec2.describe_launch_template_versions(LaunchTemplateName=t['LaunchTemplateName'])['LaunchTemplateVersions']
    templates[t['LaunchTemplateName']] = [v['LaunchTemplateData'].get('InstanceType') for v in sorted(versions, key=lambda v: v['VersionNumber'])]
live = [{'Name': 'instance-state-name', 'Values': ['pending', 'running', 'stopping', 'stopped']}]
instances = [{'id': i['InstanceId'], 'type': i['InstanceType'], 'lifecycle': i.get('InstanceLifecycle', 'on-demand'), 'subnet': i.get('SubnetId'),
              'tags': {t['Key']: t['Value'] for t in i.get('Tags', [])}}
             for r in ec2.describe_instances(Filters=live)['Reservations'] for i in r['Instances']]
print(json.dumps({'groups': groups, 'templates': templates, 'instances': instances}))
"#,
        )
    }

    pub fn counts(&self) -> Value {
        self.counts_in("us-east-1")
    }
}
