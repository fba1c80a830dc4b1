//! The stdio transport: newline-delimited JSON-RPC on stdin and stdout (MCP specification,
//! "Transports", stdio), with every line read by `jsonrpc` first, so that no message goes
//! unanswered: a line that is not a message rmcp can serve is answered here, in order with
//! rmcp's own replies, and the server goes on reading.
//!
//! rmcp polls `receive` inside a `select!`, so a read can be dropped at any await: a partial
//! line stays in the transport for the next call, and an answer made here is queued without
//! awaiting. One writer task owns the output and writes each message whole, then flushes;
//! `close` waits until everything queued is written.
use super::jsonrpc::{self, Incoming, MAX_MESSAGE_BYTES, Refusal};
use rmcp::RoleServer;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::transport::Transport;
use std::io;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::{mpsc, oneshot};

type Ack = oneshot::Sender<io::Result<()>>;

pub struct Stdio<R> {
    read: BufReader<R>,
    /// The line read so far, without its break.
    line: Vec<u8>,
    /// Bytes of an over-long line skipped so far, until its break.
    skipped: Option<usize>,
    ended: bool,
    out: Option<mpsc::UnboundedSender<(Vec<u8>, Option<Ack>)>>,
    writer: Option<tokio::task::JoinHandle<()>>,
}

enum Line {
    Whole(Vec<u8>),
    TooLong(usize),
}

impl<R: AsyncRead + Unpin + Send + 'static> Stdio<R> {
    /// Reads `read` and writes to `write`; must be called inside a Tokio runtime.
    pub fn new<W: AsyncWrite + Unpin + Send + 'static>(read: R, write: W) -> Stdio<R> {
        let (out, queue) = mpsc::unbounded_channel();
        let writer = tokio::spawn(write_all(write, queue));
        Stdio { read: BufReader::new(read), line: Vec::new(), skipped: None, ended: false, out: Some(out), writer: Some(writer) }
    }

    /// The next line, a line over the limit, or `None` at the end of the input (a last line
    /// without a break is still a line) or on a read error.
    async fn next_line(&mut self) -> Option<Line> {
        if self.ended {
            return None;
        }
        loop {
            let available = match self.read.fill_buf().await {
                Ok(available) => available,
                Err(e) => {
                    tracing::warn!(error = %e, "mcp.stdio read failed");
                    self.ended = true;
                    return None;
                }
            };
            if available.is_empty() {
                self.ended = true;
                return match self.skipped.take() {
                    Some(n) => Some(Line::TooLong(n)),
                    None if self.line.is_empty() => None,
                    None => Some(Line::Whole(std::mem::take(&mut self.line))),
                };
            }
            let newline = available.iter().position(|b| *b == b'\n');
            let take = newline.map_or(available.len(), |i| i + 1);
            let chunk = &available[..newline.unwrap_or(take)];
            match self.skipped.as_mut() {
                Some(n) => *n += take,
                None if self.line.len() + chunk.len() > MAX_MESSAGE_BYTES => {
                    self.skipped = Some(self.line.len() + take);
                    self.line = Vec::new();
                }
                None => self.line.extend_from_slice(chunk),
            }
            self.read.consume(take);
            if newline.is_some() {
                return Some(match self.skipped.take() {
                    Some(n) => Line::TooLong(n),
                    None => Line::Whole(std::mem::take(&mut self.line)),
                });
            }
        }
    }

    /// Queues `refusal` for the writer, without waiting.
    fn answer(&self, refusal: &Refusal) {
        tracing::info!(code = refusal.code, message = %refusal.message, "mcp.refused message");
        if let Some(out) = &self.out {
            let _ = out.send((line_of(&refusal.body()), None));
        }
    }
}

fn line_of(message: &impl serde::Serialize) -> Vec<u8> {
    // Serializing a JSON-RPC message cannot fail: every map key is a string.
    let mut line = serde_json::to_vec(message).unwrap_or_default();
    line.push(b'\n');
    line
}

async fn write_all<W: AsyncWrite + Unpin>(mut write: W, mut queue: mpsc::UnboundedReceiver<(Vec<u8>, Option<Ack>)>) {
    while let Some((line, ack)) = queue.recv().await {
        let written = match write.write_all(&line).await {
            Ok(()) => write.flush().await,
            Err(e) => Err(e),
        };
        let failed = written.is_err();
        if let Some(ack) = ack {
            let _ = ack.send(written);
        }
        if failed {
            return;
        }
    }
}

impl<R: AsyncRead + Unpin + Send + 'static> Transport<RoleServer> for Stdio<R> {
    type Error = io::Error;

    fn send(&mut self, item: ServerJsonRpcMessage) -> impl Future<Output = Result<(), io::Error>> + Send + 'static {
        let (ack, acked) = oneshot::channel();
        let queued = self.out.as_ref().is_some_and(|out| out.send((line_of(&item), Some(ack))).is_ok());
        async move {
            let closed = || io::Error::new(io::ErrorKind::BrokenPipe, "the MCP client closed its input");
            if !queued {
                return Err(closed());
            }
            acked.await.unwrap_or_else(|_| Err(closed()))
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            let incoming = match self.next_line().await? {
                Line::TooLong(bytes) => Incoming::Refused(Refusal::too_long(bytes)),
                Line::Whole(line) => jsonrpc::read(&line),
            };
            match incoming {
                Incoming::Message(message) => return Some(*message),
                Incoming::Refused(refusal) => self.answer(&refusal),
                Incoming::Dropped(why) => tracing::warn!(why = %why.message, "mcp.dropped message"),
                Incoming::Blank => {}
            }
        }
    }

    async fn close(&mut self) -> Result<(), io::Error> {
        self.out = None;
        if let Some(writer) = self.writer.take() {
            writer.await.map_err(io::Error::other)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    /// Feeds `input` to the transport and returns what it answered itself and what it passed on.
    fn run(input: &'static [u8]) -> (String, usize) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let (client, server_out) = tokio::io::duplex(1 << 16);
            let mut stdio = Stdio::new(input, server_out);
            let mut passed = 0;
            while let Some(_message) = stdio.receive().await {
                passed += 1;
            }
            stdio.close().await.unwrap();
            drop(stdio);
            let mut answered = String::new();
            let mut client = client;
            client.read_to_string(&mut answered).await.unwrap();
            (answered, passed)
        })
    }

    #[test]
    fn every_bad_line_is_answered_and_reading_goes_on() {
        let input = b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/li\n\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\r\n\xff\xfe\n{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"x\",\"arguments\":[1,2]}}\n{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}";
        let (answered, passed) = run(input);
        let lines: Vec<serde_json::Value> = answered.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let codes: Vec<(i64, serde_json::Value)> = lines.iter().map(|l| (l["error"]["code"].as_i64().unwrap(), l["id"].clone())).collect();
        assert_eq!(codes, vec![(-32700, serde_json::Value::Null), (-32700, serde_json::Value::Null), (-32602, serde_json::json!(3))]);
        // The two pings, the last one without a final line break.
        assert_eq!(passed, 2);
    }

    #[test]
    fn an_over_long_line_is_refused_unread() {
        let mut input = vec![b'['; MAX_MESSAGE_BYTES + 10];
        input.extend_from_slice(b"\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n");
        let (answered, passed) = run(Box::leak(input.into_boxed_slice()));
        assert!(answered.contains("-32600") && answered.contains("4194315 bytes"), "{answered}");
        assert_eq!(passed, 1);
    }
}
