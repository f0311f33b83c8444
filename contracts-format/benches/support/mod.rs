//! A criterion measurement of the benchmark thread's own CPU time
//! (`clock_gettime(CLOCK_THREAD_CPUTIME_ID)`, through rustix). On a loaded machine wall-clock
//! figures include time the thread waited for a core; CPU time does not, so it is the figure
//! to compare with a per-core target.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// Thread CPU time, in nanoseconds.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ThreadCpuTime;

/// Nanoseconds the calling thread has run on a CPU so far.
pub(crate) fn thread_cpu_ns() -> u64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000_000 + u64::try_from(t.tv_nsec).unwrap_or(0)
}

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }

    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        // Values are nanoseconds, as for wall time: the same units and throughput scaling.
        WALL.formatter()
    }
}
