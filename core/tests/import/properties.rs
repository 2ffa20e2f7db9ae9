//! Property tests: no input makes an importer panic, and an encrypted file is imported whole
//! or not at all. A change to a CipherValue or ValueMAC refuses the file or changes nothing;
//! any other change still accounts for every KeyPackage, and never yields a secret that was
//! not in the original file.

use std::ops::Range;
use std::sync::LazyLock;

use proptest::collection::vec;
use proptest::prelude::*;
use quick_xml::events::Event;
use staffgate_core::import::{
    ImportReport, PskcKey, TokenKind, import_csv, import_file, import_pskc,
};
use staffgate_core::otp::Algorithm;

use crate::support::*;

/// Encrypted files and the key that opens each: the AES-128 sample (HMAC-SHA1), and files
/// built by `support` with AES-256 and HMAC-SHA256, and with a PBKDF2 password.
static ENCRYPTED: LazyLock<Vec<(Vec<u8>, PskcKey)>> = LazyLock::new(|| {
    let aes256 = Encrypter::new(b"a thirty-two byte AES-256 key!!!", Algorithm::Sha256);
    let secret = |encrypter: &Encrypter, iv: u8, secret: &[u8]| {
        format!("<Secret>{}</Secret>", encrypter.value([iv; 16], secret))
    };
    let packages = [
        package(
            "A1",
            TOTP_URI,
            &parameters("HMAC-SHA1", 6),
            &secret(&aes256, 1, K20),
        ),
        package(
            "A2",
            TOTP_URI,
            &parameters("HMAC-SHA256", 8),
            &secret(&aes256, 2, K32),
        ),
        package(
            "A3",
            HOTP_URI,
            &parameters("HMAC-SHA512", 8),
            &secret(&aes256, 3, K64),
        ),
    ];
    let header = format!("{}{}", key_name(), aes256.mac_method());
    let aes256_file = container(&header, &packages);

    // One PBKDF2 round keeps a few hundred cases fast; the rounds do not change the structure.
    let salt = b"property salt";
    let mut key = [0u8; 16];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(b"pw", salt, 1, &mut key);
    let derived = Encrypter::new(&key, Algorithm::Sha1);
    let packages = [
        package(
            "P1",
            TOTP_URI,
            &parameters("HMAC-SHA1", 6),
            &secret(&derived, 4, K20),
        ),
        package(
            "P2",
            TOTP_URI,
            &parameters("HMAC-SHA1", 6),
            &secret(&derived, 5, K32),
        ),
    ];
    let header = format!(
        "{}{}",
        derived_key(salt, 1, Some(16), None),
        derived.mac_method()
    );
    let password_file = container(&header, &packages);

    vec![
        (AES128.to_vec(), PskcKey::PreShared(SAMPLE_PSK.to_vec())),
        (aes256_file, PskcKey::PreShared(aes256.key.clone())),
        (password_file, PskcKey::Password("pw".into())),
    ]
});

/// What an import yields for each token, to compare two imports.
type Outcome = Vec<(String, Vec<u8>, TokenKind, Algorithm, u8)>;

fn outcome(report: &ImportReport) -> Outcome {
    let token = |t: &staffgate_core::import::ImportedToken| {
        let secret = t.secret.as_bytes().to_vec();
        (t.serial.clone(), secret, t.kind, t.algorithm, t.digits)
    };
    report.tokens.iter().map(token).collect()
}

/// How many KeyPackage elements the root of `xml` holds, counted with quick-xml directly.
fn key_packages(xml: &[u8]) -> usize {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let (mut depth, mut count) = (0usize, 0);
    loop {
        match reader.read_event() {
            Ok(Event::Start(tag)) => {
                count += usize::from(depth == 1 && tag.local_name().as_ref() == b"KeyPackage");
                depth += 1;
            }
            Ok(Event::Empty(tag)) => {
                count += usize::from(depth == 1 && tag.local_name().as_ref() == b"KeyPackage");
            }
            Ok(Event::End(_)) => {
                depth -= 1;
                if depth == 0 {
                    return count;
                }
            }
            Ok(Event::Eof) | Err(_) => return count,
            Ok(_) => {}
        }
    }
}

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

/// The byte ranges of every attribute value and every text between tags that is not blank:
/// the places where a change leaves the XML well-formed, so that token faults come up often.
fn values(xml: &[u8]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = 0;
    while at < xml.len() {
        match xml[at] {
            b'<' => {
                let end = find(&xml[at..], b">").map_or(xml.len(), |len| at + len);
                let mut quote = None;
                for (i, &c) in xml.iter().enumerate().take(end).skip(at) {
                    match quote {
                        None if matches!(c, b'"' | b'\'') => quote = Some((c, i + 1)),
                        Some((q, start)) if c == q => {
                            ranges.push(start..i);
                            quote = None;
                        }
                        _ => {}
                    }
                }
                at = end + 1;
            }
            _ => {
                let end = find(&xml[at..], b"<").map_or(xml.len(), |len| at + len);
                if xml[at..end].iter().any(|b| !b.is_ascii_whitespace()) {
                    ranges.push(at..end);
                }
                at = end;
            }
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
    // One MACKey, then a secret and its ValueMAC per package.
    for ((file, _), expected) in ENCRYPTED.iter().zip([5, 7, 5]) {
        let texts = crypto_texts(file);
        assert_eq!(texts.len(), expected);
        for range in texts {
            let text = std::str::from_utf8(&file[range]).unwrap();
            assert!(
                data_encoding::BASE64.decode(text.as_bytes()).is_ok(),
                "{text}"
            );
        }
    }
}

#[test]
fn the_value_targets_are_attribute_values_and_texts() {
    let xml = b"<a x=\"1\" y='22'>\n <b>text</b> <c/>tail</a>";
    let found: Vec<_> = values(xml).into_iter().map(|range| &xml[range]).collect();
    assert_eq!(found, [&b"1"[..], b"22", b"text", b"tail"]);
    let lengths = values(AES128)
        .into_iter()
        .filter(|range| matches!(&AES128[range.clone()], b"6" | b"8"))
        .count();
    assert_eq!(lengths, 2, "both ResponseFormat lengths can be changed");
}

#[test]
fn the_unmutated_encrypted_files_import_every_token() {
    for ((file, key), packages) in ENCRYPTED.iter().zip([2, 3, 2]) {
        let report = import_pskc(file, Some(key)).unwrap();
        assert_eq!(report.tokens.len(), packages, "{:?}", report.refused);
        assert_eq!(key_packages(file), packages);
    }
    let aes256 = import_pskc(&ENCRYPTED[1].0, Some(&ENCRYPTED[1].1)).unwrap();
    assert_eq!(token(&aes256, "A2").secret.as_bytes(), K32);
    let password = import_pskc(&ENCRYPTED[2].0, Some(&ENCRYPTED[2].1)).unwrap();
    assert_eq!(token(&password, "P2").secret.as_bytes(), K32);
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
    fn a_changed_cipher_value_or_mac_refuses_the_file_or_changes_nothing(
        sample in 0..3usize,
        picks in vec((any::<usize>(), mutation()), 1..4),
    ) {
        let (file, key) = &ENCRYPTED[sample];
        let original = import_pskc(file, Some(key)).unwrap();
        let mut data = file.clone();
        for (pick, mutation) in &picks {
            let texts = crypto_texts(&data);
            if texts.is_empty() {
                break;
            }
            let range = texts[pick % texts.len()].clone();
            apply(&mut data, mutation, range);
        }

        // Either an error for the whole file, or exactly the original tokens: never a subset.
        if let Ok(report) = import_pskc(&data, Some(key)) {
            prop_assert!(report.refused.is_empty(), "{:?}", report.refused);
            prop_assert_eq!(outcome(&report), outcome(&original));
        }
    }

    #[test]
    fn a_mutated_encrypted_file_accounts_for_every_package_or_imports_nothing(
        sample in 0..3usize,
        picks in vec((any::<Option<usize>>(), mutation()), 1..4),
    ) {
        let (file, key) = &ENCRYPTED[sample];
        let original = import_pskc(file, Some(key)).unwrap();
        let mut data = file.clone();
        for (pick, mutation) in &picks {
            // Anywhere in the file, or inside one attribute value or text.
            let range = match pick {
                None => 0..data.len(),
                Some(pick) => {
                    let values = values(&data);
                    values[pick % values.len()].clone()
                }
            };
            apply(&mut data, mutation, range);
        }

        if let Ok(report) = import_pskc(&data, Some(key)) {
            // A package is imported or refused with a reason; none is dropped unreported.
            let reported = report.tokens.len() + report.refused.len();
            prop_assert_eq!(reported, key_packages(&data));
            // Serials and parameters may have been changed in the clear, secrets never.
            for imported in &report.tokens {
                let known = original
                    .tokens
                    .iter()
                    .any(|before| before.secret.as_bytes() == imported.secret.as_bytes());
                prop_assert!(known, "{} has a secret the file never held", imported.serial);
            }
        }
    }

    #[test]
    fn no_wrong_pre_shared_key_opens_the_encrypted_sample(key in vec(any::<u8>(), 16)) {
        prop_assume!(key != SAMPLE_PSK);
        prop_assert!(import_pskc(AES128, Some(&PskcKey::PreShared(key))).is_err());
    }
}
