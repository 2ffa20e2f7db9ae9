//! A minimal SMTP receiver: enough of RFC 5321 for lettre to hand over a message, which is
//! then decoded for the tests to read.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// A message as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    /// Header lines, unfolded.
    pub headers: Vec<String>,
    /// The body with any quoted-printable encoding undone.
    pub body: String,
}

impl Received {
    /// Reads a raw message (headers, blank line, body) with CRLF line ends.
    pub fn parse(recipients: Vec<String>, data: &str) -> Self {
        let (head, body) = data.split_once("\r\n\r\n").unwrap_or((data, ""));
        let headers: Vec<String> = head
            .replace("\r\n ", " ")
            .replace("\r\n\t", " ")
            .split("\r\n")
            .map(str::to_owned)
            .collect();
        let quoted_printable = headers.iter().any(|header| {
            let header = header.to_ascii_lowercase();
            header.starts_with("content-transfer-encoding:") && header.contains("quoted-printable")
        });
        let body = if quoted_printable {
            decode_quoted_printable(body)
        } else {
            body.to_owned()
        };
        Self {
            recipients,
            headers,
            body: body.replace("\r\n", "\n"),
        }
    }

    /// The value of the first header called `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

/// A receiver listening on a port; messages arrive on a channel.
pub struct SmtpReceiver {
    messages: mpsc::UnboundedReceiver<Received>,
}

impl SmtpReceiver {
    /// Listens on `127.0.0.1:port`.
    pub async fn start(port: u16) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the SMTP port");
        let (sender, messages) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let sender = sender.clone();
                tokio::spawn(async move {
                    let _ = converse(stream, sender).await;
                });
            }
        });
        Self { messages }
    }

    /// The next message, or a panic after `timeout`.
    pub async fn next(&mut self, timeout: Duration) -> Received {
        tokio::time::timeout(timeout, self.messages.recv())
            .await
            .expect("no mail arrived in time")
            .expect("the receiver stopped")
    }
}

/// A port on 127.0.0.1 where nothing listens (at least right now).
pub async fn unused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
    listener.local_addr().expect("a bound address").port()
}

async fn converse(
    stream: tokio::net::TcpStream,
    sender: mpsc::UnboundedSender<Received>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 test.invalid ESMTP\r\n").await?;

    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        if command.starts_with("RCPT TO:") {
            recipients.push(line.trim_end()["RCPT TO:".len()..].trim().to_owned());
        }
        let answer: &[u8] = if command.starts_with("DATA") {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let data = read_data(&mut lines).await?;
            let received = Received::parse(std::mem::take(&mut recipients), &data);
            let _ = sender.send(received);
            b"250 queued\r\n"
        } else if command.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            // EHLO, HELO, MAIL, RCPT, RSET, NOOP.
            b"250 ok\r\n"
        };
        write.write_all(answer).await?;
    }
}

/// Reads the DATA section up to the lone dot, undoing dot-stuffing.
async fn read_data(
    lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<String> {
    let mut data = String::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 || line == ".\r\n" {
            return Ok(data);
        }
        data.push_str(line.strip_prefix('.').unwrap_or(&line));
    }
}

fn decode_quoted_printable(text: &str) -> String {
    let joined = text.replace("=\r\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok());
        match (
            bytes[index],
            hex.and_then(|hex| u8::from_str_radix(hex, 16).ok()),
        ) {
            (b'=', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
