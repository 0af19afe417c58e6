//! File storage by content: a file is kept under the SHA-256 of its bytes
//! (`sha256/ab/abcdef…`), outside the web root, through `object_store`, so
//! the same code writes to a local directory (the default: `files/` under
//! the data directory), to an S3-compatible object store that several app
//! servers share, or to memory (tests).
//!
//! Settings (README «Configuration»):
//! - `PORTAL_FILES`: `file://<dir>`, `s3://<bucket>[/<prefix>]` or `memory://`;
//!   default `file://<dir>/files` when `PORTAL_DB` is `surrealkv://<dir>`,
//!   `memory://` with `mem://`, `file://files` with a remote database.
//! - with `s3://`: `PORTAL_FILES_S3_ENDPOINT` (https://…, or http:// in dev
//!   mode), `PORTAL_FILES_S3_REGION` (default `us-east-1`),
//!   `PORTAL_FILES_S3_ACCESS_KEY_ID`, `PORTAL_FILES_S3_SECRET_ACCESS_KEY`.
//!
//! A write is atomic: the local store writes a temporary file and renames
//! it, S3 makes an object visible only when its upload is whole. A caller
//! stores the file first and then the database row that points to it, in
//! one statement: a process killed in between leaves a file nothing shows,
//! never a row pointing at half a file. The same bytes are stored once.
//!
//! It never decides who may read a file: the area that owns the row does.

use std::collections::HashMap;
use std::sync::Arc;

use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sha2::{Digest, Sha256};

use super::config::{DbEndpoint, Secret};
use super::request::internal;
use crate::error::AppError;

/// Where files are kept, as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSettings {
    /// A directory on this server's disk.
    Local(String),
    /// An S3-compatible bucket, optionally under a prefix.
    S3(S3Settings),
    /// In memory: gone at exit (tests).
    Memory,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub bucket: String,
    pub prefix: String,
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
}

impl FileSettings {
    /// Reads `PORTAL_FILES*`; every problem goes to `errors` with its name.
    pub fn from_map(
        vars: &HashMap<String, String>,
        db: &DbEndpoint,
        production: bool,
        errors: &mut Vec<String>,
    ) -> FileSettings {
        let get = |k: &str| vars.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let Some(raw) = get("PORTAL_FILES") else {
            return match db {
                DbEndpoint::SurrealKv(dir) => FileSettings::Local(format!("{}/files", dir.trim_end_matches('/'))),
                DbEndpoint::Memory => FileSettings::Memory,
                DbEndpoint::Remote { .. } => {
                    // Several app servers share a remote database; each
                    // would keep its own ./files and miss the others' files.
                    if production {
                        errors.push(
                            "PORTAL_FILES: with a remote database name the shared store (s3://… or a shared file:// directory)"
                                .into(),
                        );
                    }
                    FileSettings::Local("files".to_string())
                }
            };
        };
        if let Some(dir) = raw.strip_prefix("file://") {
            if dir.is_empty() {
                errors.push("PORTAL_FILES: file:// needs a directory, e.g. file://data/files".into());
            }
            return FileSettings::Local(dir.to_string());
        }
        if raw == "memory://" {
            if production {
                errors.push(
                    "PORTAL_FILES: memory:// loses every file on restart; production needs file:// or s3://".into(),
                );
            }
            return FileSettings::Memory;
        }
        let Some(rest) = raw.strip_prefix("s3://") else {
            errors.push(format!(
                "PORTAL_FILES: '{raw}' is not a file store; use file://<dir>, s3://<bucket>[/<prefix>] or memory://"
            ));
            return FileSettings::Memory;
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            errors.push("PORTAL_FILES: s3:// needs a bucket, e.g. s3://portal-files".into());
        }
        let endpoint = get("PORTAL_FILES_S3_ENDPOINT");
        if let Some(e) = &endpoint {
            if !(e.starts_with("https://") || e.starts_with("http://")) {
                errors.push(format!("PORTAL_FILES_S3_ENDPOINT: '{e}' must be an https:// address"));
            } else if production && e.starts_with("http://") {
                errors.push("PORTAL_FILES_S3_ENDPOINT: production talks to the object store over https://".into());
            }
        }
        let access_key_id = get("PORTAL_FILES_S3_ACCESS_KEY_ID");
        let secret_access_key = get("PORTAL_FILES_S3_SECRET_ACCESS_KEY").map(Secret::new);
        if access_key_id.is_some() != secret_access_key.is_some() {
            errors.push(
                "PORTAL_FILES_S3_ACCESS_KEY_ID and PORTAL_FILES_S3_SECRET_ACCESS_KEY: give both or neither".into(),
            );
        }
        FileSettings::S3(S3Settings {
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            endpoint,
            region: get("PORTAL_FILES_S3_REGION").unwrap_or_else(|| "us-east-1".to_string()),
            access_key_id,
            secret_access_key,
        })
    }
}

/// The file store of this process. Cheap to clone.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Files({})", self.store)
    }
}

impl Files {
    /// Opens the store `settings` name (creates a local directory).
    pub fn open(settings: &FileSettings) -> Result<Files, String> {
        let store: Arc<dyn ObjectStore> = match settings {
            FileSettings::Memory => Arc::new(object_store::memory::InMemory::new()),
            FileSettings::Local(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| format!("PORTAL_FILES: cannot create {dir}: {e}"))?;
                let local = object_store::local::LocalFileSystem::new_with_prefix(dir)
                    .map_err(|e| format!("PORTAL_FILES: {dir}: {e}"))?;
                Arc::new(local)
            }
            FileSettings::S3(s) => {
                let mut b =
                    object_store::aws::AmazonS3Builder::new().with_bucket_name(&s.bucket).with_region(&s.region);
                if let Some(e) = &s.endpoint {
                    b = b.with_endpoint(e).with_allow_http(e.starts_with("http://"));
                }
                if let (Some(id), Some(secret)) = (&s.access_key_id, &s.secret_access_key) {
                    b = b.with_access_key_id(id).with_secret_access_key(secret.expose());
                }
                let s3 = b.build().map_err(|e| format!("PORTAL_FILES: s3://{}: {e}", s.bucket))?;
                if s.prefix.is_empty() {
                    Arc::new(s3)
                } else {
                    Arc::new(object_store::prefix::PrefixStore::new(s3, s.prefix.as_str()))
                }
            }
        };
        Ok(Files { store })
    }

    /// An empty store in memory (tests).
    pub fn memory() -> Files {
        Files { store: Arc::new(object_store::memory::InMemory::new()) }
    }

    /// Stores `bytes` and returns their SHA-256 (hex), the name to read
    /// them back by. The same bytes twice are one file.
    pub async fn put(&self, bytes: Vec<u8>) -> Result<String, AppError> {
        let hash = content_hash(&bytes);
        let path = path_of(&hash);
        match self.store.head(&path).await {
            Ok(_) => return Ok(hash),
            Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(internal("file store head", e)),
        }
        self.store.put(&path, PutPayload::from(bytes)).await.map_err(|e| internal("file store put", e))?;
        Ok(hash)
    }

    /// The bytes stored under `hash`, if any.
    pub async fn get(&self, hash: &str) -> Result<Option<Vec<u8>>, AppError> {
        if !is_hash(hash) {
            return Ok(None);
        }
        match self.store.get(&path_of(hash)).await {
            Ok(r) => Ok(Some(r.bytes().await.map_err(|e| internal("file store read", e))?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(internal("file store get", e)),
        }
    }
}

/// SHA-256 of `bytes`, hex.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// `sha256/ab/abcdef…`: a fan-out by the first byte keeps directories small.
fn path_of(hash: &str) -> Path {
    Path::from(format!("sha256/{}/{hash}", &hash[..2]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn read(pairs: &[(&str, &str)], db: &DbEndpoint, production: bool) -> (FileSettings, Vec<String>) {
        let mut errors = Vec::new();
        let s = FileSettings::from_map(&map(pairs), db, production, &mut errors);
        (s, errors)
    }

    #[test]
    fn files_default_to_a_directory_under_the_data_directory() {
        let (s, e) = read(&[], &DbEndpoint::SurrealKv("data".into()), false);
        assert_eq!(s, FileSettings::Local("data/files".into()));
        assert!(e.is_empty());
        assert_eq!(read(&[], &DbEndpoint::Memory, false).0, FileSettings::Memory);
    }

    #[test]
    fn an_s3_store_is_named_by_bucket_and_prefix_and_hides_its_secret() {
        let (s, e) = read(
            &[
                ("PORTAL_FILES", "s3://portal-files/scans/"),
                ("PORTAL_FILES_S3_ENDPOINT", "https://storage.example.ru"),
                ("PORTAL_FILES_S3_ACCESS_KEY_ID", "AKID"),
                ("PORTAL_FILES_S3_SECRET_ACCESS_KEY", "very-secret-value"),
            ],
            &DbEndpoint::Memory,
            true,
        );
        assert!(e.is_empty(), "{e:?}");
        let FileSettings::S3(s3) = &s else { panic!("{s:?}") };
        assert_eq!((s3.bucket.as_str(), s3.prefix.as_str()), ("portal-files", "scans"));
        assert!(!format!("{s:?}").contains("very-secret-value"));
        assert!(Files::open(&s).is_ok());
    }

    #[test]
    fn bad_file_settings_are_named() {
        let db = DbEndpoint::Memory;
        let (_, e) = read(&[("PORTAL_FILES", "ftp://x")], &db, false);
        assert!(e[0].starts_with("PORTAL_FILES:"), "{e:?}");
        let (_, e) = read(&[("PORTAL_FILES", "s3://b"), ("PORTAL_FILES_S3_ACCESS_KEY_ID", "x")], &db, false);
        assert!(e[0].starts_with("PORTAL_FILES_S3_ACCESS_KEY_ID"), "{e:?}");
        let (_, e) = read(&[("PORTAL_FILES", "s3://b"), ("PORTAL_FILES_S3_ENDPOINT", "http://minio:9000")], &db, true);
        assert!(e[0].starts_with("PORTAL_FILES_S3_ENDPOINT"), "{e:?}");
        let (_, e) = read(&[("PORTAL_FILES", "memory://")], &db, true);
        assert!(e[0].starts_with("PORTAL_FILES:"), "{e:?}");
    }

    #[tokio::test]
    async fn a_file_is_kept_once_by_its_content_and_read_back() {
        let files = Files::memory();
        let a = files.put(b"scan".to_vec()).await.unwrap();
        let b = files.put(b"scan".to_vec()).await.unwrap();
        assert_eq!(a, b);
        assert_eq!(a, content_hash(b"scan"));
        assert_eq!(files.get(&a).await.unwrap().as_deref(), Some(&b"scan"[..]));
        assert_eq!(files.get(&content_hash(b"other")).await.unwrap(), None);
        assert_eq!(files.get("../../etc/passwd").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_local_store_writes_under_its_directory_and_leaves_no_temporary_file() {
        let dir = std::env::temp_dir().join(format!("portal-files-{}", uuid::Uuid::new_v4().simple()));
        let files = Files::open(&FileSettings::Local(dir.to_string_lossy().into_owned())).unwrap();
        let hash = files.put(vec![7u8; 1000]).await.unwrap();
        let stored = dir.join("sha256").join(&hash[..2]).join(&hash);
        assert_eq!(std::fs::read(&stored).unwrap(), vec![7u8; 1000]);
        let names: Vec<_> = std::fs::read_dir(dir.join("sha256").join(&hash[..2]))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec![hash.clone()], "only the finished file is there");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
