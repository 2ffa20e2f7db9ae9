//! Property tests: no input makes an importer panic, and no change to an encrypted sample's
//! CipherValue or ValueMAC ever yields a token whose secret differs from the original.

use std::ops::Range;

use proptest::collection::vec;
use proptest::prelude::*;
use staffgate_core::import::{ImportReport, PskcKey, import_csv, import_file, import_pskc};

use crate::support::*;

/// One change to a file: a flipped bit, deleted bytes or inserted bytes.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, bit: u8 },
    Delete { at: usize, len: usize },
    Insert { at: usize, bytes: Vec<u8> },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..8u8).prop_map(|(at, bit)| Mutation::Flip { at, bit }),
        (any::<usize>(), 1..12usize).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), vec(any::<u8>(), 1..6))
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
    ]
}

/// Applies `mutation` at a position inside `range` (taken modulo its length).
fn apply(data: &mut Vec<u8>, mutation: &Mutation, range: Range<usize>) {
    let span = range.len().max(1);
    match mutation {
        Mutation::Flip { at, bit } if !range.is_empty() => {
            data[range.start + at % span] ^= 1 << bit;
        }
        Mutation::Flip { .. } => {}
        Mutation::Delete { at, len } => {
            let start = range.start + at % span;
            let end = (start + len).min(range.end.max(start));
            data.drain(start..end);
        }
        Mutation::Insert { at, bytes } => {
            let at = range.start + at % (range.len() + 1);
            data.splice(at..at, bytes.iter().copied());
        }
    }
}

/// The byte ranges of every CipherValue and ValueMAC text in a document.
fn crypto_texts(xml: &[u8]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for (open, close) in [
        (&b"<xenc:CipherValue>"[..], &b"</xenc:CipherValue>"[..]),
        (b"<ValueMAC>", b"</ValueMAC>"),
    ] {
        let mut from = 0;
        while let Some(start) = find(&xml[from..], open).map(|at| from + at + open.len()) {
            let Some(end) = find(&xml[start..], close).map(|at| start + at) else {
                break;
            };
            ranges.push(start..end);
            from = end;
        }
    }
    ranges
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// Pieces of PSKC that arbitrary concatenations are built from, to reach deep code paths.
const PSKC_PIECES: &[&str] = &[
    "<KeyContainer Version='1.0' xmlns='urn:ietf:params:xml:ns:keyprov:pskc' \
     xmlns:xenc='http://www.w3.org/2001/04/xmlenc#'>",
    "</KeyContainer>",
    "<KeyPackage>",
    "</KeyPackage>",
    "<DeviceInfo><SerialNo>S</SerialNo></DeviceInfo>",
    "<Key Id='K' Algorithm='urn:ietf:params:xml:ns:keyprov:pskc:totp'>",
    "<Key Algorithm='urn:ietf:params:xml:ns:keyprov:pskc:hotp'>",
    "</Key>",
    "<AlgorithmParameters><ResponseFormat Length='6'/></AlgorithmParameters>",
    "<Data>",
    "</Data>",
    "<Secret>",
    "</Secret>",
    "<PlainValue>",
    "</PlainValue>",
    "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=",
    "<Counter><PlainValue>18446744073709551616</PlainValue></Counter>",
    "<TimeInterval><PlainValue>0</PlainValue></TimeInterval>",
    "<EncryptedValue>",
    "</EncryptedValue>",
    "<xenc:EncryptionMethod Algorithm='http://www.w3.org/2001/04/xmlenc#aes128-cbc'/>",
    "<xenc:CipherData><xenc:CipherValue>AAECAwQFBgcICQoLDA0ODw==</xenc:CipherValue>\
     </xenc:CipherData>",
    "<ValueMAC>YMK+lb1YyzQJjkALv1EtClY7rAE=</ValueMAC>",
    "<MACMethod Algorithm='http://www.w3.org/2000/09/xmldsig#hmac-sha1'><MACKey>",
    "</MACKey></MACMethod>",
    "<EncryptionKey><DerivedKey><KeyDerivationMethod \
     Algorithm='http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2'>\
     <PBKDF2-params><Salt><Specified>AA==</Specified></Salt><IterationCount>1\
     </IterationCount><KeyLength>16</KeyLength></PBKDF2-params></KeyDerivationMethod>\
     </DerivedKey></EncryptionKey>",
    "&amp;",
    "&#0;",
    "<![CDATA[x]]>",
    "\u{feff}",
    " \r\n",
];

const CSV_PIECES: &[&str] = &[
    "serial,seed,type,digits,step_or_counter,algorithm",
    "\u{feff}",
    ",",
    "\r\n",
    "\n",
    "\"",
    " ",
    "T",
    "3132333435363738393031323334353637383930",
    "313",
    "totp",
    "HOTP",
    "6",
    "8",
    "30",
    "0",
    "18446744073709551616",
    "sha256",
    "\u{ff}",
];

fn soup(pieces: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    vec(prop::sample::select(pieces), 0..40).prop_map(|parts| parts.concat().into_bytes())
}

fn keys() -> [Option<PskcKey>; 3] {
    [
        None,
        Some(PskcKey::PreShared(SAMPLE_PSK.to_vec())),
        Some(PskcKey::Password("pw".into())),
    ]
}

/// Every importer and key on `data`; none may panic, and a report must be well-formed.
fn import_everything(data: &[u8]) {
    for key in keys() {
        if let Ok(report) = import_pskc(data, key.as_ref()) {
            assert_well_formed(&report);
        }
        if let Ok(report) = import_file(Some("upload.xml"), data, key.as_ref()) {
            assert_well_formed(&report);
        }
    }
    if let Ok(report) = import_csv(data) {
        assert_well_formed(&report);
    }
    if let Ok(report) = import_file(None, data, None) {
        assert_well_formed(&report);
    }
}

fn assert_well_formed(report: &ImportReport) {
    for token in &report.tokens {
        assert!(!token.serial.trim().is_empty());
        assert!(!token.secret.as_bytes().is_empty());
        assert!(matches!(token.digits, 6 | 8), "{} digits", token.digits);
    }
    for refused in &report.refused {
        assert!(!refused.reason.is_empty());
    }
}

#[test]
fn the_mutation_targets_cover_every_cipher_value_and_value_mac() {
    let texts = crypto_texts(AES128);
    assert_eq!(texts.len(), 5, "one MACKey, two secrets, two ValueMACs");
    for range in texts {
        let text = std::str::from_utf8(&AES128[range]).unwrap();
        assert!(
            data_encoding::BASE64.decode(text.as_bytes()).is_ok(),
            "{text}"
        );
    }
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_make_an_importer_panic(data in vec(any::<u8>(), 0..600)) {
        import_everything(&data);
    }

    #[test]
    fn arbitrary_pskc_fragments_never_make_an_importer_panic(data in soup(PSKC_PIECES)) {
        import_everything(&data);
    }

    #[test]
    fn arbitrary_csv_fragments_never_make_an_importer_panic(data in soup(CSV_PIECES)) {
        import_everything(&data);
    }

    #[test]
    fn mutated_samples_never_make_an_importer_panic(
        sample in prop::sample::select(vec![PLAIN, AES128, BAD_MAC, NOT_PSKC, SEEDS_CSV]),
        mutations in vec(mutation(), 1..4),
    ) {
        let mut data = sample.to_vec();
        for mutation in &mutations {
            let whole = 0..data.len();
            apply(&mut data, mutation, whole);
        }
        import_everything(&data);
    }

    #[test]
    fn a_changed_cipher_value_or_mac_never_yields_a_different_secret(
        picks in vec((any::<usize>(), mutation()), 1..4),
    ) {
        let psk = PskcKey::PreShared(SAMPLE_PSK.to_vec());
        let original = import_pskc(AES128, Some(&psk)).unwrap();
        let mut data = AES128.to_vec();
        for (pick, mutation) in &picks {
            let texts = crypto_texts(&data);
            if texts.is_empty() {
                break;
            }
            let range = texts[pick % texts.len()].clone();
            apply(&mut data, mutation, range);
        }

        if let Ok(report) = import_pskc(&data, Some(&psk)) {
            for imported in &report.tokens {
                let before = token(&original, &imported.serial);
                prop_assert_eq!(imported.secret.as_bytes(), before.secret.as_bytes());
                prop_assert_eq!(imported.kind, before.kind);
            }
        }
    }

    #[test]
    fn no_wrong_pre_shared_key_opens_the_encrypted_sample(key in vec(any::<u8>(), 16)) {
        prop_assume!(key != SAMPLE_PSK);
        prop_assert!(import_pskc(AES128, Some(&PskcKey::PreShared(key))).is_err());
    }
}
