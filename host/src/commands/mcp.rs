//! `aws-agent mcp`: serves the loaded intents as MCP tools, over stdio by default or streamable
//! HTTP with `--http`. Calls that act on AWS need `--allow-deploy`; see `aws_agent::mcp`.
use anyhow::{Result, bail};
use aws_agent::mcp::{self, Policy, Serve};
use aws_agent::session::Session;
use std::net::SocketAddr;

#[derive(clap::Args)]
pub struct McpArgs {
    /// Serve streamable HTTP at http://ADDR:PORT/mcp instead of stdio (port 0 picks a free one;
    /// the address is printed on stderr). A non-loopback address exposes the tools to the network.
    #[arg(long, value_name = "ADDR:PORT")]
    http: Option<SocketAddr>,
    /// Let clients run the intents that act on AWS (deploy, teardown): on the local simulator
    /// unless --aws-endpoint or --real-aws is given. Without it they are refused.
    #[arg(long)]
    allow_deploy: bool,
}

/// Serves until the client hangs up (stdio) or Ctrl-C (HTTP); `session` supplies the tool list.
pub fn run(session: &Session, args: McpArgs, serve: Serve) -> Result<i32> {
    if serve.policy.real_aws && !args.allow_deploy {
        bail!("--real-aws with mcp needs --allow-deploy as well: without it no client may act on AWS, so real AWS would never be reached");
    }
    let serve = Serve { policy: Policy { allow_deploy: args.allow_deploy, ..serve.policy }, ..serve };
    match args.http {
        Some(addr) => mcp::serve_http(serve, session.registry(), addr)?,
        None => mcp::serve_stdio(serve, session.registry())?,
    }
    Ok(0)
}
