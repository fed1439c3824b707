//! The request form's state while it renders: the errors and kept files of the last try.
//! In the browser, `ui::enhance` sends the form and checks fields as they are left.
use crate::model::intake::{FieldErrors, KeptFile};
use leptos::prelude::*;

/// The form's state as it renders; every part is a signal, so this is `Copy`.
#[derive(Clone, Copy)]
pub struct FormState {
    pub errors: RwSignal<FieldErrors>,
    pub kept: RwSignal<Vec<KeptFile>>,
    pub notice: RwSignal<Option<String>>,
}
