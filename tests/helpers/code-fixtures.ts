// Small real Python, Go and Rust files (issue 70): what the code kind's tests parse and index, their lines counted by
// the tests that cite them.

export const PYTHON = `"""A toaster for the terminal."""
import time
from dataclasses import dataclass, field

__all__ = ["Toaster", "DEFAULT_DISMISS_AFTER", "make_toaster"]

# How long a toast stays up, in seconds.
DEFAULT_DISMISS_AFTER = 5.0
_registry = {}


@dataclass
class Toaster:
    """Pushes and pops toasts."""

    limit: int = 3
    variant: str = "neutral"

    def push(self, message, dismiss_after=DEFAULT_DISMISS_AFTER):
        """Shows a toast for dismiss_after seconds."""
        self._queue.append((message, time.time() + dismiss_after))

    def _expire(self):
        pass


def make_toaster(limit: int = 3, *, variant: str = "neutral") -> Toaster:
    return Toaster(limit=limit, variant=variant)
`;

export const GO = `package toast

import (
	"fmt"
	"time"
)

// DefaultDismissAfter is how long a toast stays up.
const DefaultDismissAfter = 5 * time.Second

const (
	// MaxToasts is how many show at once.
	MaxToasts = 3
	minGap    = 10
)

// Toaster pushes and pops toasts.
type Toaster struct {
	Limit int
	queue []string
}

// Notifier is anything that shows a message.
type Notifier interface {
	Notify(message string) error
}

// NewToaster makes a toaster that keeps limit toasts.
func NewToaster(limit int) *Toaster {
	return &Toaster{Limit: limit}
}

// Push shows a toast.
func (t *Toaster) Push(message string) {
	t.queue = append(t.queue, fmt.Sprint(message))
}
`;

export const RUST = `use std::time::Duration;

/// How long a toast stays up.
pub const DEFAULT_DISMISS_AFTER: Duration = Duration::from_secs(5);

/// Pushes and pops toasts.
#[derive(Debug, Clone)]
pub struct Toaster {
    pub limit: usize,
    queue: Vec<String>,
}

impl Default for Toaster {
    fn default() -> Self {
        Self { limit: 3, queue: Vec::new() }
    }
}

impl Toaster {
    /// Shows a toast.
    pub fn push(&mut self, message: &str) {
        self.queue.push(message.to_string());
    }

    fn expire(&mut self) {}
}

/// Anything that shows a message.
pub trait Notifier {
    fn notify(&self, message: &str) -> bool;
}

type Queue = Vec<String>;

mod internal {
    pub fn helper() -> u8 {
        1
    }
}
`;
