//! QR codes for enrollment.
