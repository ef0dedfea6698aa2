//! The IMRF release app: the UN Network on Migration's press release about
//! the first International Migration Review Forum, in Arabic and English, and
//! the form through which stakeholders send their inputs to the secretariat.
//!
//! Pure logic lives in plain-Rust modules (`i18n`, `retry_policy`, `draft`,
//! `form_model`)
//! and in the shared `imrf-contract` crate; the DOM modules stay thin.

#![recursion_limit = "256"]

pub mod app;
pub mod browser;
#[cfg(feature = "ssr")]
pub mod console;
pub mod draft;
pub mod embedding;
pub mod form;
pub mod form_model;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod not_found;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod plain_page;
#[cfg(feature = "ssr")]
pub mod published;
pub mod release;
pub mod release_content;
pub mod retry_policy;
#[cfg(feature = "ssr")]
pub mod static_html;
pub mod submission_client;
pub mod takeover;
pub mod widget;
