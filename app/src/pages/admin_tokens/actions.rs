//! The per-token actions of the inventory, as one bundle the rows share.

use leptos::prelude::*;

use crate::api::tokens::{
    ActivateToken, AssignToken, RemoveAppCredential, RemoveToken, ResetTokenDrift, ResyncToken,
    ReturnTokenToStock,
};
use crate::components::alert::latest_error;
use crate::error::AppError;

/// Every action a row can offer; copied into each row.
#[derive(Clone, Copy)]
pub struct TokenActions {
    pub assign: ServerAction<AssignToken>,
    pub activate: ServerAction<ActivateToken>,
    pub remove: ServerAction<RemoveToken>,
    pub remove_app: ServerAction<RemoveAppCredential>,
    pub return_to_stock: ServerAction<ReturnTokenToStock>,
    pub reset_drift: ServerAction<ResetTokenDrift>,
    pub resync: ServerAction<ResyncToken>,
}

impl TokenActions {
    /// Creates the actions.
    pub fn new() -> Self {
        Self {
            assign: ServerAction::new(),
            activate: ServerAction::new(),
            remove: ServerAction::new(),
            remove_app: ServerAction::new(),
            return_to_stock: ServerAction::new(),
            reset_drift: ServerAction::new(),
            resync: ServerAction::new(),
        }
    }

    /// Changes whenever any action finishes, so the inventory is read again.
    pub fn version(&self) -> usize {
        self.assign.version().get()
            + self.activate.version().get()
            + self.remove.version().get()
            + self.remove_app.version().get()
            + self.return_to_stock.version().get()
            + self.reset_drift.version().get()
            + self.resync.version().get()
    }

    /// The error of whichever action failed last.
    pub fn latest_error(&self) -> Signal<Option<AppError>> {
        latest_error(vec![
            self.assign.value(),
            self.activate.value(),
            self.remove.value(),
            self.remove_app.value(),
            self.return_to_stock.value(),
            self.reset_drift.value(),
            self.resync.value(),
        ])
    }
}
