//! A real `redis-server` for the tests of feature `redis`: started on a free loopback port with
//! no persistence, stopped (killed and reaped) when the fixture is dropped.
//!
//! There is no skipping: without a `redis-server` on the `PATH` (or at `$REDIS_SERVER`), the
//! test using it fails with a message that says how to install it. `.ci/run` installs it.

#![allow(dead_code)] // each test file uses part of it

use std::io::{Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `redis-server`, owned by the test.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
}

impl RedisServer {
    /// Starts one on a free port of 127.0.0.1 and waits until it answers `PING`.
    ///
    /// # Panics
    ///
    /// When `redis-server` is missing or does not start: the test fails, it is not skipped.
    pub fn start() -> RedisServer {
        let program = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
        let mut last = String::new();
        // A port found free may be taken before the server binds it: try a few.
        for _ in 0..5 {
            let port = free_port();
            match spawn(&program, port) {
                Ok(child) => {
                    let mut server = RedisServer {
                        child: Some(child),
                        port,
                    };
                    match server.wait_ready() {
                        Ok(()) => return server,
                        Err(e) => last = e,
                    }
                    server.stop();
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => panic!(
                    "`{program}` was not found: the tests of feature `redis` need a real Redis \
                     server (`apt-get install -y redis-server`, which .ci/run does, or set \
                     REDIS_SERVER to its path)"
                ),
                Err(e) => panic!("`{program}` could not be started: {e}"),
            }
        }
        panic!("redis-server did not start on a free loopback port: {last}");
    }

    /// `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Its port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills it now (as a crash or an outage would) and reaps it.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(child) = self.child.as_mut()
                && let Ok(Some(status)) = child.try_wait()
            {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = stderr.read_to_string(&mut err);
                }
                return Err(format!("redis-server exited ({status}): {err}"));
            }
            if ping(self.port) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err("redis-server did not answer PING within 10 s".into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free loopback port");
    listener.local_addr().expect("its address").port()
}

fn spawn(program: &str, port: u16) -> std::io::Result<Child> {
    Command::new(program)
        .args(["--port", &port.to_string()])
        .args(["--bind", "127.0.0.1"])
        // No persistence: nothing written to disk, nothing read back.
        .args(["--save", "", "--appendonly", "no"])
        .args(["--daemonize", "no", "--protected-mode", "yes"])
        .args(["--dir", &std::env::temp_dir().to_string_lossy()])
        .stdin(Stdio::null())
        // Its log (a bind failure included) is not read: a pipe never read would fill.
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
}

/// Whether a `PING` on `port` is answered `+PONG`.
fn ping(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    if stream.write_all(b"PING\r\n").is_err() {
        return false;
    }
    let mut answer = [0u8; 7];
    stream.read_exact(&mut answer).is_ok() && &answer == b"+PONG\r\n"
}
