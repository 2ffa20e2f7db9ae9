//! Pieces shared by several pages.

pub mod alert;
pub mod clock_warning;
pub mod countdown;
pub mod nav;
pub mod qr;
pub mod token_activation;
