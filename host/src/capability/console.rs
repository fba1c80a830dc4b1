//! What plugins show the user: text, aligned tables and the configuration.
//!
//! `Console` writes to a `Sink`: stdout, or an in-memory buffer for one-shot commands and tests.
//!
//! - `begin_call` gives each plugin call a new budget: at most 256 KiB may be printed, and past
//!   that, output is cut once with a notice.
//! - Control characters other than newline and tab are removed.
//! - Tables are drawn with comfy-table, and the cells of each table are kept for the call, so
//!   `last_table` and `tables` return them.
//! - `render_config` is the single rendering of the configuration.
use super::config::Configuration;
use comfy_table::{Cell, ContentArrangement, Table, presets};

/// Most a single plugin call may print; past it the output is cut with a notice.
pub const OUTPUT_LIMIT: usize = 256 * 1024;

#[derive(Clone)]
pub enum Sink {
    Stdout,
    /// Kept in memory, for one-shot commands and tests.
    Buffer(Vec<String>),
}

/// A table as a plugin gave it: header and rows of cells.
pub type Cells = (Vec<String>, Vec<Vec<String>>);

pub struct Console {
    sink: Sink,
    written: usize,
    truncated: bool,
    /// Tables printed during the current call, kept as cells for callers that need the data.
    tables: Vec<Cells>,
    /// Colour only for a terminal, and never when NO_COLOR is set (no-color.org).
    color: bool,
}

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const RESET: &str = "\x1b[0m";

impl Console {
    pub fn new(sink: Sink) -> Self {
        use std::io::IsTerminal;
        let color = matches!(sink, Sink::Stdout) && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Console { sink, written: 0, truncated: false, tables: vec![], color }
    }

    /// Starts a new plugin call: a fresh output budget and no recorded tables.
    pub fn begin_call(&mut self) {
        self.written = 0;
        self.truncated = false;
        self.tables.clear();
    }

    /// The last table the current call printed.
    pub fn last_table(&self) -> Option<&Cells> {
        self.tables.last()
    }

    /// Every table the current call printed, as cells.
    pub fn tables(&self) -> &[Cells] {
        &self.tables
    }

    pub fn print(&mut self, text: &str) {
        self.print_within_budget(text, None);
    }

    /// A plugin's warning (`console.warn`): "warning: " first, yellow where colour is wanted,
    /// counted against the same budget as `print`.
    pub fn warn(&mut self, text: &str) {
        let style = self.color.then_some(YELLOW);
        self.print_within_budget(&format!("warning: {text}"), style);
    }

    fn print_within_budget(&mut self, text: &str, style: Option<&str>) {
        if self.truncated {
            return;
        }
        if self.written + text.len() > OUTPUT_LIMIT {
            self.truncated = true;
            let cut = format!("[output cut: a plugin may print at most {} KiB per call]", OUTPUT_LIMIT / 1024);
            return self.emit(&cut, None);
        }
        self.written += text.len();
        self.emit(text, style);
    }

    /// Something that went wrong, in red where colour is wanted.
    pub fn print_problem(&mut self, text: &str) {
        let style = self.color.then_some(RED);
        self.emit(text, style);
    }

    fn emit(&mut self, text: &str, style: Option<&str>) {
        // Terminal control sequences from a plugin could rewrite the user's screen; only the
        // host's own styling gets through.
        let mut clean: String = text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
        if let Some(style) = style {
            clean = format!("{style}{clean}{RESET}");
        }
        match &mut self.sink {
            Sink::Stdout => println!("{clean}"),
            Sink::Buffer(lines) => lines.push(clean),
        }
    }

    pub fn table(&mut self, header: &[String], rows: &[Vec<String>]) {
        let mut table = new_table();
        table.set_header(header.iter().map(Cell::new));
        for row in rows {
            table.add_row(row.iter().map(Cell::new));
        }
        self.print(&table.to_string());
        if !self.truncated {
            self.tables.push((header.to_vec(), rows.to_vec()));
        }
    }

    /// `arch` is the instance type's, for the default image's description.
    pub fn show_config(&mut self, config: &Configuration, arch: Option<&str>) {
        self.print(&render_config(config, arch));
    }

    /// What a buffered console holds; empty for stdout.
    pub fn take_lines(&mut self) -> Vec<String> {
        match &mut self.sink {
            Sink::Buffer(lines) => std::mem::take(lines),
            Sink::Stdout => vec![],
        }
    }
}

fn new_table() -> Table {
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Dynamic);
    table
}

pub fn render_config(config: &Configuration, arch: Option<&str>) -> String {
    let (e, a) = (&config.ec2, &config.asg);
    let image = match super::plan::family_name(&e.image_id) {
        Some(family) => format!("{family}, {} — resolved when deploying", arch.unwrap_or("the type's architecture")),
        None => e.image_id.clone(),
    };
    let mut table = new_table();
    table.set_header(["setting", "value"]);
    let rows: [(&str, String); 5] = [
        ("Region", e.region.clone()),
        ("InstanceType", e.instance_type.clone()),
        ("ImageId", image),
        ("MinCount", e.min_count.to_string()),
        ("MaxCount", e.max_count.to_string()),
    ];
    for (k, v) in rows {
        table.add_row([k.to_string(), v]);
    }
    // Shown when they depart from the defaults (Linux, on-demand, the default VPC).
    if e.operating_system != aws_agent_sdk::defaults::OPERATING_SYSTEM {
        table.add_row(["OperatingSystem".to_string(), e.operating_system.clone()]);
    }
    if e.market_type != aws_agent_sdk::defaults::MARKET_TYPE {
        table.add_row(["MarketType".to_string(), e.market_type.clone()]);
    }
    if !e.subnet_id.is_empty() && !a.enabled {
        table.add_row(["SubnetId".to_string(), e.subnet_id.clone()]);
    }
    if !e.key_name.is_empty() {
        table.add_row(["KeyName".to_string(), e.key_name.clone()]);
    }
    if !e.security_group_ids.is_empty() {
        table.add_row(["SecurityGroupIds".to_string(), e.security_group_ids.join(", ")]);
    }
    let state = if a.enabled { "enabled" } else { "disabled" };
    table.add_row(["Autoscaling".to_string(), state.to_string()]);
    if a.enabled {
        let subnets = if a.vpc_zone_identifier.is_empty() { "(default VPC subnets)".to_string() } else { a.vpc_zone_identifier.clone() };
        let rows: [(&str, String); 6] = [
            ("LaunchTemplateName", a.launch_template_name.clone()),
            ("AvailabilityZones", if a.vpc_zone_identifier.is_empty() { a.availability_zones.join(", ") } else { "(the subnets' zones)".to_string() }),
            ("VPCZoneIdentifier", subnets),
            ("MinSize", a.min_size.to_string()),
            ("MaxSize", a.max_size.to_string()),
            ("DesiredCapacity", a.desired_capacity.to_string()),
        ];
        for (k, v) in rows {
            table.add_row([k.to_string(), v]);
        }
    }
    match config.requirements.describe(&e.instance_type, &e.region) {
        Some(requirements) => format!("Current configuration:\n{table}\n{requirements}"),
        None => format!("Current configuration:\n{table}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_past_the_limit_is_cut_once() {
        let mut c = Console::new(Sink::Buffer(vec![]));
        let chunk = "x".repeat(100 * 1024);
        for _ in 0..5 {
            c.print(&chunk);
        }
        let lines = c.take_lines();
        assert_eq!(lines.len(), 3);
        assert!(lines[2].starts_with("[output cut"));
        c.begin_call();
        c.print("again");
        assert_eq!(c.take_lines(), ["again"]);
    }

    #[test]
    fn warnings_are_marked_and_share_the_budget() {
        let mut c = Console::new(Sink::Buffer(vec![]));
        c.warn("no offers in \x1b[1mmars-1");
        assert_eq!(c.take_lines(), ["warning: no offers in [1mmars-1"]);
        c.begin_call();
        c.print(&"x".repeat(OUTPUT_LIMIT));
        c.warn("past the budget");
        let lines = c.take_lines();
        assert_eq!(lines.len(), 2, "the warning is cut like any output");
        assert!(lines[1].starts_with("[output cut"));
    }

    #[test]
    fn control_characters_are_removed() {
        let mut c = Console::new(Sink::Buffer(vec![]));
        c.print("\x1b[2Jhi\tthere\nyou\x07");
        assert_eq!(c.take_lines(), ["[2Jhi\tthere\nyou"]);
    }

    #[test]
    fn config_shows_the_group_only_when_enabled() {
        let mut config = Configuration::default();
        assert!(!render_config(&config, None).contains("DesiredCapacity"));
        config.asg.enabled = true;
        let shown = render_config(&config, None);
        assert!(shown.contains("DesiredCapacity") && shown.contains("(default VPC subnets)"), "{shown}");
    }
}
