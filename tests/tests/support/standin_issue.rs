//! Issuing in a test's set-up the way the app does: through the issuer, against a Moloni stand-in started in
//! the test's process (no test plays Moloni's part by writing fiscal data itself).

use desk_core::documents::{self, issue};
use desk_core::moloni::issuer::{Issuer, Outcome};
use desk_core::Workspace;
use desk_model::document::DocState;
use desk_model::ipc::Document;
use moloni::{Client, Config, Credentials, Secret};
use moloni_standin::{Options, StandIn};
use std::path::Path;
use uuid::Uuid;

/// A Moloni stand-in for a test and a client of its demo company.
pub struct Moloni {
    /// The stand-in: it runs while this value lives.
    _standin: StandIn,
    client: Client,
}

impl Moloni {
    /// Starts the stand-in.
    pub async fn start() -> Moloni {
        let standin = StandIn::start(Options::default()).await.expect("stand-in");
        let creds = Credentials {
            client_id: "desk-demo".into(),
            client_secret: Secret::new("desk-demo-secret"),
            username: "demo@desk.pt".into(),
            password: Some(Secret::new("demo")),
        };
        let client = Client::new(Config::new(standin.url()), creds).expect("client");
        Moloni { _standin: standin, client }
    }

    /// Issues document `id` of the folder `dir` (a draft is queued first); the folder must not be open elsewhere
    /// for writing. Returns the issued document.
    pub async fn issue(&self, dir: &Path, id: Uuid) -> Document {
        let ws = Workspace::open_dir(dir, "issuer".into()).await.expect("open");
        if documents::get(&ws, id).await.expect("document").state == DocState::Draft {
            issue::request_issue(&ws, id).await.expect("queue");
        }
        let api = self.client.company(moloni_standin::seed::DEMO_COMPANY);
        let doc = match Issuer::new(&ws, api, "test-set-up").issue(id).await.expect("issue") {
            Outcome::Issued { document } => *document,
            other => panic!("the stand-in did not issue it: {other:?}"),
        };
        ws.store().close().await;
        doc
    }
}
