use anyhow::Result;
use aws_agent::plugin::ParamType;
use aws_agent::router::Call;
use aws_agent::session::Session;
use serde_json::json;

#[derive(clap::Subcommand)]
pub enum PluginsCommand {
    /// Each loaded intent with its docstring and parameters.
    List {
        #[arg(long)]
        json: bool,
    },
}

pub fn run(session: &Session, command: PluginsCommand) -> Result<()> {
    let PluginsCommand::List { json } = command;
    let plugins = session.registry().plugins();
    if json {
        let list: Vec<serde_json::Value> = plugins
            .iter()
            .map(|p| {
                let s = &p.spec;
                let examples: Vec<serde_json::Value> = s
                    .examples
                    .iter()
                    .map(|e| json!({ "utterance": e.utterance, "args": Call { intent: s.name.clone(), args: e.args.clone() }.to_json()["args"] }))
                    .collect();
                json!({ "name": s.name, "version": s.version, "docstring": s.docstring, "params": s.params, "examples": examples, "path": p.path })
            })
            .collect();
        println!("{}", serde_json::Value::Array(list));
        return Ok(());
    }
    for p in plugins {
        let s = &p.spec;
        println!("{} {} ({})\n  {}", s.name, s.version, p.path.display(), s.docstring);
        for param in &s.params {
            let ty = match param.ty {
                ParamType::Int => "int",
                ParamType::Float => "float",
                ParamType::Text => "text",
                ParamType::TextList => "list of text",
            };
            let required = if param.required { ", required" } else { "" };
            println!("  - {} ({ty}{required}): {}", param.name, param.description);
        }
    }
    Ok(())
}
