//! The pages of «Документы»: the citizen's `/documents` and
//! `/documents/change`, the upload form they share, and the official's
//! queue and decision pages.

mod change;
mod mine;
mod staff;
mod upload;

pub use change::ChangeRequestPage;
pub use mine::DocumentsPage;
pub use staff::{ChangeReviewPage, DocumentQueuePage, DocumentReviewPage};
