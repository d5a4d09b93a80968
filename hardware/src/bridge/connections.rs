//! Counts the door-controller connections that are open, in total and per peer address, so
//! one client cannot hold thousands of idle sockets (tokio-modbus accepts without limit). A
//! connection holds a `ConnectionPermit` for its whole life; dropping it frees the slot.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

/// Which limit refused a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConnectionRefused {
    /// The server holds its maximum of connections.
    Total,
    /// This peer holds its maximum of connections.
    PerPeer,
}

/// The open connections of one server.
#[derive(Debug, Clone)]
pub(crate) struct ConnectionLimits {
    inner: Arc<Mutex<Open>>,
}

#[derive(Debug)]
struct Open {
    max_total: usize,
    max_per_peer: usize,
    total: usize,
    per_peer: HashMap<IpAddr, usize>,
}

impl ConnectionLimits {
    pub(crate) fn new(max_total: u32, max_per_peer: u32) -> Self {
        let max_total = usize::try_from(max_total).unwrap_or(usize::MAX);
        let max_per_peer = usize::try_from(max_per_peer).unwrap_or(usize::MAX);
        Self { inner: Arc::new(Mutex::new(Open { max_total, max_per_peer, total: 0, per_peer: HashMap::new() })) }
    }

    /// Counts a new connection from `peer` if both limits allow it, in one step.
    pub(crate) fn try_open(&self, peer: IpAddr) -> Result<ConnectionPermit, ConnectionRefused> {
        let mut open = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if open.total >= open.max_total {
            return Err(ConnectionRefused::Total);
        }
        let max_per_peer = open.max_per_peer;
        let from_peer = open.per_peer.entry(peer).or_insert(0);
        if *from_peer >= max_per_peer {
            return Err(ConnectionRefused::PerPeer);
        }
        *from_peer += 1;
        open.total += 1;
        Ok(ConnectionPermit { limits: self.clone(), peer })
    }

    fn close(&self, peer: IpAddr) {
        let mut open = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        open.total = open.total.saturating_sub(1);
        if let Some(from_peer) = open.per_peer.get_mut(&peer) {
            *from_peer = from_peer.saturating_sub(1);
            if *from_peer == 0 {
                open.per_peer.remove(&peer);
            }
        }
    }
}

/// One open connection's slot; freed when dropped.
#[derive(Debug)]
pub(crate) struct ConnectionPermit {
    limits: ConnectionLimits,
    peer: IpAddr,
}

impl Drop for ConnectionPermit {
    fn drop(&mut self) {
        self.limits.close(self.peer);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn limits_per_peer_and_in_total_and_frees_on_drop() {
        let limits = ConnectionLimits::new(3, 2);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let first = limits.try_open(a).unwrap();
        let _second = limits.try_open(a).unwrap();
        assert_eq!(limits.try_open(a).unwrap_err(), ConnectionRefused::PerPeer);
        let _third = limits.try_open(b).unwrap();
        assert_eq!(limits.try_open(b).unwrap_err(), ConnectionRefused::Total);
        drop(first);
        assert!(limits.try_open(a).is_ok());
    }
}
