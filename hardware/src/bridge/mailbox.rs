//! The credential mailbox (holding registers 110–128): parsing one FC16 write into a request,
//! turning its bytes into the credential the decision compares, and the per-door limit on
//! credential requests. Malformed mailboxes are refused with exception 0x03, requests over the
//! limit with 0x06; well-formed but nonsensical credentials get result 5.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::protocol::{CARD_UID_LENGTHS, Credential, CredentialKind, credential_verifier};

use super::registers::{REQ_DATA_MAX_BYTES, req_type};

/// A credential request as written by the controller.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct MailboxRequest {
    pub(crate) seq: u16,
    pub(crate) kind: CredentialKind,
    pub(crate) data: Vec<u8>,
}

impl std::fmt::Debug for MailboxRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailboxRequest")
            .field("seq", &self.seq)
            .field("kind", &self.kind)
            .field("len", &self.data.len())
            .finish()
    }
}

/// Why a mailbox write is malformed (exception 0x03).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum MailboxError {
    #[error("req_seq is 0")]
    ZeroSequence,
    #[error("req_type {0} is unknown")]
    UnknownType(u16),
    #[error("req_len {0} is over 32")]
    TooLong(u16),
    #[error("the write ends before req_len bytes of req_data")]
    Truncated,
}

/// Parses registers 110.. as written in one FC16 request starting at 110.
pub(crate) fn parse_mailbox(words: &[u16]) -> Result<MailboxRequest, MailboxError> {
    let (&seq, &kind, &len) = match words {
        [seq, kind, len, ..] => (seq, kind, len),
        _ => return Err(MailboxError::Truncated),
    };
    if seq == 0 {
        return Err(MailboxError::ZeroSequence);
    }
    let kind = match kind {
        req_type::PIN => CredentialKind::Pin,
        req_type::BOOKING_TOKEN => CredentialKind::BookingToken,
        req_type::NFC_UID => CredentialKind::NfcUid,
        other => return Err(MailboxError::UnknownType(other)),
    };
    if len > REQ_DATA_MAX_BYTES {
        return Err(MailboxError::TooLong(len));
    }
    let data: Vec<u8> = words.iter().skip(3).flat_map(|word| word.to_be_bytes()).take(usize::from(len)).collect();
    if data.len() < usize::from(len) {
        return Err(MailboxError::Truncated);
    }
    Ok(MailboxRequest { seq, kind, data })
}

/// PINs are 4 to 16 ASCII digits.
const PIN_LEN: std::ops::RangeInclusive<usize> = 4..=16;

/// The credential to decide on, or `None` for a bad request (result 5). A card's UID is its
/// raw bytes as the reader gives them (4, 7 or 10), the same bytes `card_uid_bytes` makes of
/// the hex a member registered, so its verifier is `card_verifier` of them.
pub(crate) fn credential_of(request: &MailboxRequest, hub_key: &[u8]) -> Option<Credential> {
    if request.data.is_empty() {
        return None;
    }
    let readable = match request.kind {
        CredentialKind::Pin => PIN_LEN.contains(&request.data.len()) && request.data.iter().all(u8::is_ascii_digit),
        // No registered card can have another length: a clear bad request, not a wrong card.
        CredentialKind::NfcUid => CARD_UID_LENGTHS.contains(&request.data.len()),
        CredentialKind::BookingToken | CredentialKind::Remote => true,
    };
    readable.then(|| Credential::Verifier(credential_verifier(hub_key, request.kind, &request.data)))
}

/// Sliding one-minute window of credential requests for one door.
#[derive(Debug, Default)]
pub(crate) struct RequestRate {
    recent: VecDeque<Instant>,
}

impl RequestRate {
    const WINDOW: Duration = Duration::from_secs(60);

    /// Admits a request if fewer than `per_minute` were admitted in the last minute.
    pub(crate) fn admit(&mut self, now: Instant, per_minute: u32) -> bool {
        while let Some(oldest) = self.recent.front() {
            if now.saturating_duration_since(*oldest) >= Self::WINDOW {
                self.recent.pop_front();
            } else {
                break;
            }
        }
        let limit = usize::try_from(per_minute).unwrap_or(usize::MAX);
        if self.recent.len() >= limit {
            return false;
        }
        self.recent.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::protocol::pin_verifier;

    #[test]
    fn parses_a_pin_high_byte_first() {
        // "47113" = 0x34 0x37 | 0x31 0x31 | 0x33 0x00
        let words = [9, 1, 5, 0x3437, 0x3131, 0x3300];
        let request = parse_mailbox(&words).unwrap();
        assert_eq!(request.seq, 9);
        assert_eq!(request.kind, CredentialKind::Pin);
        assert_eq!(request.data, b"47113");
        assert_eq!(credential_of(&request, b"k"), Some(Credential::Verifier(pin_verifier(b"k", "47113"))));
    }

    #[test]
    fn refuses_malformed_mailboxes() {
        assert_eq!(parse_mailbox(&[0, 1, 4, 0, 0]), Err(MailboxError::ZeroSequence));
        assert_eq!(parse_mailbox(&[1, 4, 4, 0, 0]), Err(MailboxError::UnknownType(4)));
        assert_eq!(parse_mailbox(&[1, 0, 4, 0, 0]), Err(MailboxError::UnknownType(0)));
        let mut long = vec![1, 1, 33];
        long.extend([0x3131; 16]);
        assert_eq!(parse_mailbox(&long), Err(MailboxError::TooLong(33)));
        assert_eq!(parse_mailbox(&[1, 1, 6, 0x3131]), Err(MailboxError::Truncated));
        assert_eq!(parse_mailbox(&[1, 1]), Err(MailboxError::Truncated));
    }

    #[test]
    fn pins_must_be_digits_of_sane_length() {
        let pin = |data: &[u8]| MailboxRequest { seq: 1, kind: CredentialKind::Pin, data: data.to_vec() };
        assert!(credential_of(&pin(b"1234"), b"k").is_some());
        assert!(credential_of(&pin(b"123"), b"k").is_none());
        assert!(credential_of(&pin(b"12a4"), b"k").is_none());
        assert!(credential_of(&pin(b""), b"k").is_none());
    }

    #[test]
    fn a_card_uid_is_4_7_or_10_bytes_and_verifies_like_a_registered_card() {
        let nfc = |data: &[u8]| MailboxRequest { seq: 1, kind: CredentialKind::NfcUid, data: data.to_vec() };
        let uid = crate::protocol::card_uid_bytes("04:A2:FF:10").unwrap();
        assert_eq!(
            credential_of(&nfc(&uid), b"k"),
            Some(Credential::Verifier(crate::protocol::card_verifier(b"k", &uid)))
        );
        assert!(credential_of(&nfc(&[1; 7]), b"k").is_some());
        assert!(credential_of(&nfc(&[1; 10]), b"k").is_some());
        for len in [1, 3, 5, 8, 16, 32] {
            assert!(credential_of(&nfc(&vec![1; len]), b"k").is_none(), "{len} bytes");
        }
        // Card bytes that happen to be ASCII digits are still a card, never a PIN.
        assert_ne!(credential_of(&nfc(b"1234"), b"k"), Some(Credential::Verifier(pin_verifier(b"k", "1234"))));
    }

    #[test]
    fn rate_admits_ten_per_sliding_minute() {
        let t0 = Instant::now();
        let mut rate = RequestRate::default();
        for i in 0..10 {
            assert!(rate.admit(t0 + Duration::from_secs(i), 10), "request {i}");
        }
        assert!(!rate.admit(t0 + Duration::from_secs(30), 10));
        assert!(!rate.admit(t0 + Duration::from_secs(59), 10));
        assert!(rate.admit(t0 + Duration::from_secs(60), 10));
    }
}
