//! Pieces shared by several pages.

pub mod alert;
pub mod nav;
pub mod qr;
