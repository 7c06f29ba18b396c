//! A 50 MB upload does not grow memory with the file (issue 15): the client streams the file
//! from disk and the simulator streams the form (counted, hashed, dropped), both in this
//! process. A counting global allocator measures the peak of live heap bytes during the
//! upload, against the live bytes before it: the rise must stay under 8 MB. Deterministic (a
//! byte count, no timing); alone in its binary, so that no other test allocates meanwhile.

#![cfg(feature = "mock")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use kaleyra::mock::MockServer;
use kaleyra::session::Upload;
use kaleyra::{Client, RateLimit};

/// The system allocator, counting the bytes live now and the most live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is passed on to `System` unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System`'s.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `alloc`.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const FILE_BYTES: u64 = 50 * 1024 * 1024;
const BOUND: usize = 8 * 1024 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_upload_raises_peak_memory_by_less_than_8_mb()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("kaleyra-upload-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let big = dir.join("archive.pdf");
    // Sparse where the file system allows: the test itself holds none of it in memory.
    std::fs::File::create(&big)?.set_len(FILE_BYTES)?;
    let small = dir.join("small.pdf");
    std::fs::write(&small, b"%PDF-1.7")?;

    let server = MockServer::start().await;
    let client = Client::builder()
        .sid(server.sid())
        .api_key(server.api_key())
        .base_url(server.url())
        .sender(server.sender())
        .rate_limit(RateLimit::off())
        .build()?;
    // A first, small upload: the connection, the pools and the lazily built parts exist
    // before the measure starts.
    client
        .upload_media(Upload::from_path(&small).await?)
        .await?;

    let upload = Upload::from_path(&big).await?;
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let id = client.upload_media(upload).await?;
    let rise = PEAK.load(Ordering::Relaxed).saturating_sub(before);

    let _ = std::fs::remove_dir_all(&dir);
    let uploads = server.uploads();
    let stored = uploads.iter().find(|u| u.id == id.as_str());
    assert_eq!(stored.map(|u| u.size), Some(FILE_BYTES), "{uploads:?}");
    println!(
        "peak live heap during a {} MiB upload: {} KiB above the {} KiB before it (bound {} KiB)",
        FILE_BYTES >> 20,
        rise >> 10,
        before >> 10,
        BOUND >> 10
    );
    assert!(
        rise < BOUND,
        "the upload raised peak memory by {rise} bytes, over {BOUND}"
    );
    Ok(())
}
