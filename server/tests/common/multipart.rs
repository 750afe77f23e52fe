//! Complaint forms sent as multipart bodies, built by hand as a browser sends them.

use super::TestApp;

/// A multipart body, built by hand as a browser would send it.
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    pub fn new() -> Multipart {
        Multipart {
            boundary: format!("cp{:016x}", rand::random::<u64>()),
            body: Vec::new(),
        }
    }
    pub fn text(mut self, name: &str, value: &str) -> Multipart {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self
    }
    pub fn file(mut self, name: &str, file_name: &str, bytes: &[u8]) -> Multipart {
        self.body.extend_from_slice(
            format!(
                "--{}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: image/jpeg\r\n\r\n",
                self.boundary
            )
            .as_bytes(),
        );
        self.body.extend_from_slice(bytes);
        self.body.extend_from_slice(b"\r\n");
        self
    }
    pub fn complaint(self, step: &str) -> Multipart {
        self.text("step", step)
            .text("category", "rude_language")
            .text("counter", "A01")
            .text("occurred_on", "2026-03-02")
            .text("what_happened", "He shouted at me <b>twice</b>.")
            .text("identity", "named")
            .text("name", "林小姐")
            .text("email", "lin@example.org")
    }
    pub async fn send(self, app: &TestApp) -> reqwest::Response {
        self.post(app, true).await
    }
    /// Posts the form, closed by the final boundary or cut short before it.
    pub async fn post(self, app: &TestApp, closed: bool) -> reqwest::Response {
        self.request(&app.client, &app.url("/complain"), closed).send().await.unwrap()
    }
    /// The POST of the form to `url`, closed by the final boundary or cut short before it.
    pub fn request(mut self, client: &reqwest::Client, url: &str, closed: bool) -> reqwest::RequestBuilder {
        if closed {
            self.body
                .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        }
        client
            .post(url)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={}", self.boundary),
            )
            .header("accept-language", "en")
            .body(self.body)
    }
}

