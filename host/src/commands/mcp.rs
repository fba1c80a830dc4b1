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
    /// With --http: a browser origin allowed besides this machine's pages (loopback origins,
    /// any port), e.g. https://app.example.com or http://devbox:*; may be repeated. Requests from
    /// other origins get 403 (MCP transports: servers must validate Origin).
    #[arg(long, value_name = "ORIGIN", requires = "http")]
    allow_origin: Vec<String>,
    /// With --http: the most MCP sessions served at once; another `initialize` gets 503.
    #[arg(long, value_name = "N", default_value_t = mcp::DEFAULT_MAX_SESSIONS as u64, value_parser = clap::value_parser!(u64).range(1..=1000), requires = "http")]
    max_sessions: u64,
    /// With --http: seconds a session may go without a request before it is ended (its session
    /// file stays, for --resume).
    #[arg(long, value_name = "SECONDS", default_value_t = mcp::DEFAULT_IDLE.as_secs(), value_parser = clap::value_parser!(u64).range(1..=86_400), requires = "http")]
    session_idle: u64,
}

/// Serves until the client hangs up (stdio) or Ctrl-C (HTTP); `session` supplies the tool list.
pub fn run(session: &Session, args: McpArgs, serve: Serve) -> Result<i32> {
    if serve.policy.real_aws && !args.allow_deploy {
        bail!("--real-aws with mcp needs --allow-deploy as well: without it no client may act on AWS, so real AWS would never be reached");
    }
    let serve = Serve { policy: Policy { allow_deploy: args.allow_deploy, ..serve.policy }, ..serve };
    match args.http {
        Some(addr) => {
            let bounds = mcp::Bounds { max_sessions: args.max_sessions as usize, idle: std::time::Duration::from_secs(args.session_idle) };
            mcp::serve_http(serve, session.registry(), addr, &args.allow_origin, bounds)?
        }
        None => mcp::serve_stdio(serve, session.registry())?,
    }
    Ok(0)
}
