/*
 * lossyfs: a FUSE passthrough filesystem that simulates power loss, for Pontoon's chaos harness.
 *
 *   lossyfs <backing-dir> <mountpoint> [fuse options]
 *
 * Every operation on <mountpoint> is passed through to <backing-dir>. Data written to a file is "volatile"
 * until that file is fsync'ed (fsync/fdatasync, or a write through an O_SYNC/O_DSYNC descriptor); on SIGUSR1
 * ("power loss") everything not yet fsync'ed is dropped, which reproduces the "lost un-fsynced writes" fault
 * that Jepsen found in NATS JetStream. It runs in the foreground and prints to stdout (flushed):
 *
 *   LOSSYFS READY                                        once the filesystem is mounted (init callback)
 *   LOSSYFS POWER-LOSS files=<changed files> bytes=<n>   after each SIGUSR1, once the loss is applied
 *   LOSSYFS WARN ...                                     when something could not be simulated exactly
 *
 * The harness kills the program using the filesystem (kill -9, waits until it has exited, so that every
 * write of it has reached lossyfs) BEFORE it sends SIGUSR1, then restarts that program on the same mountpoint.
 * SIGTERM/SIGINT unmount cleanly (libfuse's default handlers); a clean unmount drops nothing.
 *
 * Volatility model (an undo log, keyed by the backing file's inode (st_dev, st_ino), so it follows renames):
 *  - Each tracked file has synced_size: its size at the last fsync/fdatasync of that file, or its size when
 *    it was first tracked (first modified since the last sync, or since lossyfs started; a newly created file
 *    therefore starts with synced_size 0: everything that exists before lossyfs starts counts as durable).
 *  - Writes go straight to the backing file (reads always see the live data). Before a write, truncate or
 *    fallocate changes bytes inside [0, synced_size), the original bytes of the part of that range not saved
 *    yet are saved (offset + copy) in the file's undo list. The saved ranges are disjoint: only the bytes as
 *    of the last sync matter, so a byte rewritten many times is saved once, and the undo data of a file never
 *    exceeds its synced_size.
 *  - The record keeps its own O_RDWR descriptor of the backing file, so it can be restored after a rename.
 *  - fsync/fdatasync of the file (through any descriptor): fsync the backing file, then clear the undo list
 *    and set synced_size to the current size.
 *  - Power loss: for every tracked file, write the undo list back (in reverse order), ftruncate to
 *    synced_size, fsync the backing file, clear the record.
 *  - Records without undo data whose size equals synced_size ("clean") are dropped (on fsync, release, power
 *    loss): a clean record behaves exactly like no record, so memory and descriptors stay bounded.
 *
 * Simplifications (documented in README.md beside this file):
 *  - Directory operations (create, mkdir, rmdir, rename, unlink, link, symlink) and metadata (chmod, chown,
 *    utimens) are durable immediately; fsyncdir is passed through but changes nothing in the model. So a
 *    file created and never fsync'ed still exists after a power loss, empty; a renamed file keeps its new
 *    name; an unlinked file stays gone (its record is dropped when its last name goes).
 *  - fsync granularity is the whole file: fsync makes all of a file's data durable, nothing else's.
 *  - The loss is the harshest deterministic one: every un-fsynced byte is dropped (no torn or partial
 *    writes, no data "happening" to reach the disk early), except when the undo cap below is exceeded.
 *  - Bounded memory: undo data is capped (LOSSYFS_UNDO_CAP bytes, default 256 MiB). A write that would
 *    exceed the cap first makes the file whose undo data is oldest durable (as if the OS had written it back
 *    on its own, which real kernels do) and prints a LOSSYFS WARN line, so a run never dies of memory.
 *
 * Kernel caching: the init callback sets attr/entry/negative timeouts to 0 and kernel_cache to 0 (every
 * open() invalidates the kernel's page cache of the file) and leaves the writeback cache off (every write
 * reaches lossyfs before write(2) returns), so after a power loss a freshly started program sees the
 * restored data, not stale cached pages or sizes. direct_io stays off so that mmap keeps working; dirty
 * pages of a shared mmap are written back by the kernel when the mapping goes away (process exit).
 *
 * libfuse3 high-level API; correct with the multithreaded loop too (one global mutex serialises every
 * mutation of a file and the power loss). hard_remove + nullpath_ok: an unlinked open file is really
 * unlinked (no .fuse_hidden files), and operations on open files use fi->fh, never the path.
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE

#include <fuse.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
#ifndef FALLOC_FL_KEEP_SIZE
#define FALLOC_FL_KEEP_SIZE 0x01
#endif
#ifndef FALLOC_FL_PUNCH_HOLE
#define FALLOC_FL_PUNCH_HOLE 0x02
#endif
#ifndef FALLOC_FL_ZERO_RANGE
#define FALLOC_FL_ZERO_RANGE 0x10
#endif

/* ------------------------------------------------------------------------------------------------------ */
/* Global state                                                                                            */

static int base_fd = -1;            /* the backing directory; every path is resolved relative to it */
static int sig_pipe[2] = {-1, -1};  /* self-pipe: SIGUSR1 handler -> power-loss thread */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static size_t undo_cap = (size_t)256 << 20;
/*
 * LOSSYFS_IGNORE_FSYNC=<text>: a disk that lies about fsync (reports success, keeps nothing) for files whose
 * path contains <text> when opened ("1": every file), from a SIGUSR2 until the next power loss. The chaos
 * harness's red gate for power loss: with "log_inprogress" the Raft log's fsync becomes a no-op shortly before
 * the power loss (acknowledging before the log is durable, the bug Jepsen found in NATS JetStream), so the
 * loss erases acknowledged writes while older state survives, and the checkers must notice. Never the default.
 */
static const char *ignore_fsync;
static volatile int lying_on; /* set by SIGUSR2 (via the self-pipe thread), cleared by a power loss */
/* Descriptors opened on a path that matches ignore_fsync (indexed by fd; fds above the bound never lie). */
#define LYING_FDS 65536
static unsigned char lying_fd[LYING_FDS];

static int lies(int fd)
{
	return lying_on && fd >= 0 && fd < LYING_FDS && lying_fd[fd];
}

static void mark_lying(int fd, const char *path)
{
	if (fd >= 0 && fd < LYING_FDS)
		lying_fd[fd] = ignore_fsync && path && (strcmp(ignore_fsync, "1") == 0 || strstr(path, ignore_fsync));
}

struct undo {
	off_t off;
	size_t len, cap;
	char *data;
};

struct rec {
	dev_t dev;
	ino_t ino;
	int fd;              /* our own O_RDWR descriptor of the backing file (survives rename/close) */
	off_t synced_size;
	struct undo *u;      /* sorted by offset, disjoint, all inside [0, synced_size) */
	size_t n, cap;
	size_t undo_bytes;
	uint64_t first_seq;  /* when the undo list last became non-empty: the oldest goes first at the cap */
	struct rec *next;
};

#define NBUCKETS 4096
static struct rec *buckets[NBUCKETS];
static size_t total_undo;
static uint64_t seq;

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	flockfile(stdout);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	funlockfile(stdout);
	va_end(ap);
}

/* The path relative to the backing directory ("/" is "."). */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

static ssize_t pwrite_all(int fd, const char *buf, size_t len, off_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t w = pwrite(fd, buf + done, len - done, off + (off_t)done);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return done ? (ssize_t)done : -1;
		}
		if (w == 0)
			break;
		done += (size_t)w;
	}
	return (ssize_t)done;
}

/* Reads exactly len bytes; bytes past EOF read as zeros. */
static int pread_full(int fd, char *buf, size_t len, off_t off)
{
	size_t done = 0;
	while (done < len) {
		ssize_t r = pread(fd, buf + done, len - done, off + (off_t)done);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (r == 0) {
			memset(buf + done, 0, len - done);
			break;
		}
		done += (size_t)r;
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------------------ */
/* Tracking records (all called with `lock` held)                                                          */

static size_t bucket_of(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev;
	return (size_t)(h >> 20) % NBUCKETS;
}

static struct rec *rec_find(dev_t dev, ino_t ino)
{
	for (struct rec *r = buckets[bucket_of(dev, ino)]; r; r = r->next)
		if (r->dev == dev && r->ino == ino)
			return r;
	return NULL;
}

static void rec_clear_undo(struct rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->u[i].data);
	free(r->u);
	r->u = NULL;
	r->n = r->cap = 0;
	total_undo -= r->undo_bytes;
	r->undo_bytes = 0;
}

static void rec_drop(struct rec *r)
{
	struct rec **pp = &buckets[bucket_of(r->dev, r->ino)];
	while (*pp != r)
		pp = &(*pp)->next;
	*pp = r->next;
	rec_clear_undo(r);
	close(r->fd);
	free(r);
}

static off_t fd_size(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	return st.st_size;
}

/* The file is durable as it is now: fsync the backing file, forget the undo data. Returns -errno. */
static int rec_sync(struct rec *r, int datasync)
{
	int res = datasync ? fdatasync(r->fd) : fsync(r->fd);
	if (res < 0)
		return -errno;
	off_t size = fd_size(r->fd);
	if (size < 0)
		return -errno;
	rec_clear_undo(r);
	r->synced_size = size;
	return 0;
}

/* Drops the record if it is clean (no undo data, size == synced_size) or its file has no name left
 * (directory operations are durable, so an unlinked file's content can never be seen again). */
static void rec_drop_if_clean(struct rec *r)
{
	struct stat st;
	if (fstat(r->fd, &st) < 0)
		return;
	if (st.st_nlink == 0 || (r->n == 0 && st.st_size == r->synced_size))
		rec_drop(r);
}

static void drop_if_unlinked(dev_t dev, ino_t ino)
{
	struct rec *r = rec_find(dev, ino);
	if (r)
		rec_drop_if_clean(r);
}

/*
 * The record of the file open as fd, created when missing with synced_size = its current size. *rp is set
 * to NULL (and 0 returned) when the file has no name any more: nothing about it needs to be undone.
 */
static int rec_get(int fd, struct rec **rp)
{
	struct stat st;
	*rp = NULL;
	if (fstat(fd, &st) < 0)
		return -errno;
	struct rec *r = rec_find(st.st_dev, st.st_ino);
	if (r) {
		*rp = r;
		return 0;
	}
	if (st.st_nlink == 0 || !S_ISREG(st.st_mode))
		return 0;
	int rfd;
	int acc = fcntl(fd, F_GETFL);
	if (acc >= 0 && (acc & O_ACCMODE) == O_RDWR) {
		rfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	} else {
		/* not readable+writable: open the same inode again through /proc */
		char p[64];
		snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
		rfd = open(p, O_RDWR | O_CLOEXEC);
	}
	if (rfd < 0)
		return -errno;
	r = calloc(1, sizeof *r);
	if (!r) {
		close(rfd);
		return -ENOMEM;
	}
	r->dev = st.st_dev;
	r->ino = st.st_ino;
	r->fd = rfd;
	r->synced_size = st.st_size;
	size_t b = bucket_of(r->dev, r->ino);
	r->next = buckets[b];
	buckets[b] = r;
	*rp = r;
	return 0;
}

/*
 * Keeps the undo data under undo_cap: while adding `needed` bytes would exceed it, the file whose undo data
 * is oldest is made durable (fsync'ed, undo dropped), as if the OS had written it back by itself. This
 * keeps a long run from dying of memory; the WARN line tells that the loss was less harsh than modelled.
 */
static void enforce_cap(size_t needed)
{
	while (total_undo + needed > undo_cap) {
		struct rec *oldest = NULL;
		for (size_t b = 0; b < NBUCKETS; b++)
			for (struct rec *r = buckets[b]; r; r = r->next)
				if (r->n && (!oldest || r->first_seq < oldest->first_seq))
					oldest = r;
		if (!oldest)
			return;
		size_t had = oldest->undo_bytes;
		int res = rec_sync(oldest, 0);
		out("LOSSYFS WARN undo cap of %zu bytes exceeded: treating ino=%llu (%zu undo bytes) as synced%s",
		    undo_cap, (unsigned long long)oldest->ino, had, res < 0 ? " (its fsync failed)" : "");
		if (res < 0) {
			/* cannot sync it: forget its undo data anyway, or we would loop forever */
			off_t size = fd_size(oldest->fd);
			rec_clear_undo(oldest);
			if (size >= 0)
				oldest->synced_size = size;
		}
	}
}

static int undo_reserve(struct undo *u, size_t len)
{
	if (len <= u->cap)
		return 0;
	size_t cap = u->cap ? u->cap : 4096;
	while (cap < len)
		cap *= 2;
	char *d = realloc(u->data, cap);
	if (!d)
		return -ENOMEM;
	u->data = d;
	u->cap = cap;
	return 0;
}

/* Saves the original bytes of [a, b) ∩ [0, synced_size) that are not saved yet. */
static int save_range(struct rec *r, off_t a, off_t b)
{
	if (a < 0)
		a = 0;
	if (b > r->synced_size)
		b = r->synced_size;
	if (a >= b)
		return 0;
	enforce_cap((size_t)(b - a));
	/* the cap may have synced r itself: clip again */
	if (b > r->synced_size)
		b = r->synced_size;
	if (a >= b)
		return 0;

	/* first entry that ends after a */
	size_t lo = 0, hi = r->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->u[mid].off + (off_t)r->u[mid].len <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t i = lo;
	off_t pos = a;
	while (pos < b) {
		if (i < r->n && r->u[i].off <= pos) { /* already saved */
			pos = r->u[i].off + (off_t)r->u[i].len;
			i++;
			continue;
		}
		off_t gap_end = (i < r->n && r->u[i].off < b) ? r->u[i].off : b;
		size_t glen = (size_t)(gap_end - pos);
		struct undo *u;
		if (i > 0 && r->u[i - 1].off + (off_t)r->u[i - 1].len == pos) {
			u = &r->u[i - 1]; /* extend the previous entry (sequential overwrites: one entry) */
		} else {
			if (r->n == r->cap) {
				size_t nc = r->cap ? r->cap * 2 : 8;
				struct undo *nu = realloc(r->u, nc * sizeof *nu);
				if (!nu)
					return -ENOMEM;
				r->u = nu;
				r->cap = nc;
			}
			memmove(&r->u[i + 1], &r->u[i], (r->n - i) * sizeof *r->u);
			r->u[i] = (struct undo){.off = pos};
			r->n++;
			i++;
			u = &r->u[i - 1];
		}
		int res = undo_reserve(u, u->len + glen);
		if (res == 0)
			res = pread_full(r->fd, u->data + u->len, glen, pos);
		if (res < 0) {
			if (u->len == 0) { /* drop the empty entry again */
				free(u->data);
				i--;
				memmove(&r->u[i], &r->u[i + 1], (r->n - i - 1) * sizeof *r->u);
				r->n--;
			}
			return res;
		}
		if (r->undo_bytes == 0)
			r->first_seq = ++seq;
		u->len += glen;
		r->undo_bytes += glen;
		total_undo += glen;
		pos = gap_end;
		/* merge with the next entry when they now touch */
		if (i < r->n && u->off + (off_t)u->len == r->u[i].off) {
			struct undo *nx = &r->u[i];
			res = undo_reserve(u, u->len + nx->len);
			if (res == 0) {
				memcpy(u->data + u->len, nx->data, nx->len);
				u->len += nx->len;
				pos = u->off + (off_t)u->len;
				free(nx->data);
				memmove(&r->u[i], &r->u[i + 1], (r->n - i - 1) * sizeof *r->u);
				r->n--;
			}
		}
	}
	return 0;
}

/* ------------------------------------------------------------------------------------------------------ */
/* Tracked mutations                                                                                        */

static int tracked_truncate(int fd, off_t size)
{
	off_t cur = fd_size(fd);
	if (cur < 0)
		return -errno;
	if (cur != size) {
		struct rec *r;
		int res = rec_get(fd, &r);
		if (res < 0)
			return res;
		if (r) {
			res = save_range(r, size < cur ? size : cur, size < cur ? cur : size);
			if (res < 0)
				return res;
		}
	}
	if (ftruncate(fd, size) < 0)
		return -errno;
	return 0;
}

/* ------------------------------------------------------------------------------------------------------ */
/* Power loss                                                                                               */

static void power_loss(void)
{
	unsigned long files = 0;
	unsigned long long bytes = 0;
	pthread_mutex_lock(&lock);
	for (size_t b = 0; b < NBUCKETS; b++) {
		struct rec *r = buckets[b];
		while (r) {
			struct rec *next = r->next;
			off_t cur = fd_size(r->fd);
			if (cur < 0) {
				out("LOSSYFS WARN power loss: fstat of ino=%llu failed: %s", (unsigned long long)r->ino,
				    strerror(errno));
				cur = r->synced_size;
			}
			if (r->n || cur != r->synced_size) {
				files++;
				bytes += r->undo_bytes;
				if (cur > r->synced_size)
					bytes += (unsigned long long)(cur - r->synced_size);
			}
			/* disjoint ranges: the order does not matter, but reverse order is the classic undo order */
			for (size_t i = r->n; i-- > 0;) {
				struct undo *u = &r->u[i];
				if (pwrite_all(r->fd, u->data, u->len, u->off) != (ssize_t)u->len)
					out("LOSSYFS WARN power loss: restoring %zu bytes at %lld of ino=%llu failed: %s",
					    u->len, (long long)u->off, (unsigned long long)r->ino, strerror(errno));
			}
			if (ftruncate(r->fd, r->synced_size) < 0)
				out("LOSSYFS WARN power loss: ftruncate of ino=%llu failed: %s", (unsigned long long)r->ino,
				    strerror(errno));
			if (fsync(r->fd) < 0)
				out("LOSSYFS WARN power loss: fsync of ino=%llu failed: %s", (unsigned long long)r->ino,
				    strerror(errno));
			rec_drop(r); /* clean now: same as untracked with synced_size = its size */
			r = next;
		}
	}
	out("LOSSYFS POWER-LOSS files=%lu bytes=%llu", files, bytes);
	pthread_mutex_unlock(&lock);
}

static void on_sigusr1(int sig)
{
	int saved = errno;
	char c = sig == SIGUSR2 ? 'l' : 'p';
	ssize_t w = write(sig_pipe[1], &c, 1);
	(void)w;
	errno = saved;
}

static void *power_loss_thread(void *arg)
{
	(void)arg;
	for (;;) {
		char buf[64];
		ssize_t n = read(sig_pipe[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		for (ssize_t i = 0; i < n; i++) { /* one loss (and one line) per signal received */
			if (buf[i] == 'l') {
				lying_on = ignore_fsync != NULL;
				out(lying_on ? "LOSSYFS LYING" : "LOSSYFS WARN SIGUSR2 without LOSSYFS_IGNORE_FSYNC: not lying");
			} else {
				power_loss();
				lying_on = 0;
			}
		}
	}
}

/* ------------------------------------------------------------------------------------------------------ */
/* FUSE operations                                                                                          */

#define FD(fi) ((int)(fi)->fh)

static void *lfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* no writeback cache: every write reaches us before write(2) returns */
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	cfg->use_ino = 1;
	cfg->attr_timeout = 0;
	cfg->entry_timeout = 0;
	cfg->negative_timeout = 0;
	cfg->kernel_cache = 0; /* open() invalidates the page cache: no stale pages after a power loss */
	cfg->auto_cache = 0;
	cfg->direct_io = 0;    /* keep the page cache for mmap */
	cfg->hard_remove = 1;  /* really unlink open files; ops on open files use fi->fh */
	cfg->nullpath_ok = 1;

	pthread_t t;
	if (pthread_create(&t, NULL, power_loss_thread, NULL) != 0) {
		out("LOSSYFS WARN cannot start the power-loss thread: SIGUSR1 will not work");
	} else {
		pthread_detach(t);
	}
	out("LOSSYFS READY");
	return NULL;
}

static int lfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int res = fi ? fstat(FD(fi), st) : fstatat(base_fd, rel(path), st, AT_SYMLINK_NOFOLLOW);
	return res < 0 ? -errno : 0;
}

static int lfs_access(const char *path, int mask)
{
	return faccessat(base_fd, rel(path), mask, 0) < 0 ? -errno : 0;
}

static int lfs_readlink(const char *path, char *buf, size_t size)
{
	if (size == 0)
		return -EINVAL;
	ssize_t n = readlinkat(base_fd, rel(path), buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int lfs_opendir(const char *path, struct fuse_file_info *fi)
{
	int fd = openat(base_fd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		return -e;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	return 0;
}

static int lfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
		       struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)path;
	(void)offset;
	(void)flags;
	DIR *d = (DIR *)(uintptr_t)fi->fh;
	/* offset-less mode: libfuse asks for the whole directory at once, from the start */
	rewinddir(d);
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				return -errno;
			break;
		}
		struct stat st;
		memset(&st, 0, sizeof st);
		st.st_ino = de->d_ino;
		st.st_mode = (mode_t)de->d_type << 12;
		if (filler(buf, de->d_name, &st, 0, 0))
			break;
	}
	return 0;
}

static int lfs_releasedir(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	closedir((DIR *)(uintptr_t)fi->fh);
	return 0;
}

static int lfs_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	int fd = dirfd((DIR *)(uintptr_t)fi->fh);
	int res = datasync ? fdatasync(fd) : fsync(fd);
	return res < 0 ? -errno : 0;
}

static int lfs_mkdir(const char *path, mode_t mode)
{
	return mkdirat(base_fd, rel(path), mode) < 0 ? -errno : 0;
}

static int lfs_rmdir(const char *path)
{
	return unlinkat(base_fd, rel(path), AT_REMOVEDIR) < 0 ? -errno : 0;
}

static int lfs_symlink(const char *target, const char *linkpath)
{
	return symlinkat(target, base_fd, rel(linkpath)) < 0 ? -errno : 0;
}

static int lfs_link(const char *from, const char *to)
{
	return linkat(base_fd, rel(from), base_fd, rel(to), 0) < 0 ? -errno : 0;
}

static int lfs_unlink(const char *path)
{
	struct stat st;
	int known = fstatat(base_fd, rel(path), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
	if (unlinkat(base_fd, rel(path), 0) < 0)
		return -errno;
	if (known) {
		pthread_mutex_lock(&lock);
		drop_if_unlinked(st.st_dev, st.st_ino);
		pthread_mutex_unlock(&lock);
	}
	return 0;
}

static int lfs_rename(const char *from, const char *to, unsigned int flags)
{
	if (flags & ~(unsigned int)(RENAME_NOREPLACE | RENAME_EXCHANGE))
		return -EINVAL;
	struct stat st;
	int replaced = !(flags & RENAME_EXCHANGE) &&
		       fstatat(base_fd, rel(to), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
	int res = flags ? renameat2(base_fd, rel(from), base_fd, rel(to), flags)
			: renameat(base_fd, rel(from), base_fd, rel(to));
	if (res < 0)
		return -errno;
	if (replaced) {
		pthread_mutex_lock(&lock);
		drop_if_unlinked(st.st_dev, st.st_ino);
		pthread_mutex_unlock(&lock);
	}
	return 0;
}

static int lfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int res = fi ? fchmod(FD(fi), mode) : fchmodat(base_fd, rel(path), mode, 0);
	return res < 0 ? -errno : 0;
}

static int lfs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	int res = fi ? fchown(FD(fi), uid, gid) : fchownat(base_fd, rel(path), uid, gid, AT_SYMLINK_NOFOLLOW);
	return res < 0 ? -errno : 0;
}

static int lfs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	int res = fi ? futimens(FD(fi), tv) : utimensat(base_fd, rel(path), tv, AT_SYMLINK_NOFOLLOW);
	return res < 0 ? -errno : 0;
}

static int lfs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	int fd = fi ? FD(fi) : openat(base_fd, rel(path), O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	pthread_mutex_lock(&lock);
	int res = tracked_truncate(fd, size);
	pthread_mutex_unlock(&lock);
	if (!fi)
		close(fd);
	return res;
}

/*
 * The backing descriptor's flags: writable opens are O_RDWR (the undo log reads the original bytes through
 * the record's own descriptor, dup'ed from this one); O_APPEND is dropped because the kernel already gives
 * every write its offset, and pwrite(2) on an O_APPEND descriptor would ignore it; O_DIRECT is dropped (our
 * buffers are not aligned); O_TRUNC is applied by us, through the undo log.
 */
static int backing_flags(int flags)
{
	int f = flags & ~(O_APPEND | O_DIRECT | O_TRUNC | O_ACCMODE | O_NOCTTY);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		f |= O_RDWR;
	else
		f |= O_RDONLY;
	return f | O_CLOEXEC;
}

static int finish_open(int fd, struct fuse_file_info *fi)
{
	if (fi->flags & O_TRUNC) {
		pthread_mutex_lock(&lock);
		int res = tracked_truncate(fd, 0);
		pthread_mutex_unlock(&lock);
		if (res < 0) {
			close(fd);
			return res;
		}
	}
	fi->fh = (uint64_t)fd;
	return 0;
}

static int lfs_open(const char *path, struct fuse_file_info *fi)
{
	int fd = openat(base_fd, rel(path), backing_flags(fi->flags) & ~(O_CREAT | O_EXCL));
	if (fd < 0)
		return -errno;
	mark_lying(fd, path);
	return finish_open(fd, fi);
}

static int lfs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd = openat(base_fd, rel(path), backing_flags(fi->flags) | O_CREAT, mode);
	if (fd < 0)
		return -errno;
	mark_lying(fd, path);
	return finish_open(fd, fi);
}

static int lfs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)path;
	size_t done = 0;
	while (done < size) {
		ssize_t n = pread(FD(fi), buf + done, size - done, off + (off_t)done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return done ? (int)done : -errno;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (int)done;
}

static int lfs_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	(void)path;
	if (size == 0)
		return 0;
	pthread_mutex_lock(&lock);
	struct rec *r;
	int res = rec_get(FD(fi), &r);
	if (res == 0 && r)
		res = save_range(r, off, off + (off_t)size);
	if (res == 0) {
		ssize_t w = pwrite_all(FD(fi), buf, size, off);
		res = w < 0 ? -errno : (int)w;
		/* O_SYNC/O_DSYNC: each write is followed by an implicit fdatasync of the file */
		if (w > 0 && r && !lies(FD(fi)) && (fi->flags & (O_SYNC | O_DSYNC))) {
			int s = rec_sync(r, 1);
			if (s < 0)
				res = s;
			else
				rec_drop_if_clean(r);
		}
	}
	pthread_mutex_unlock(&lock);
	return res;
}

static int lfs_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	return fstatvfs(base_fd, st) < 0 ? -errno : 0;
}

static int lfs_flush(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	(void)fi;
	return 0; /* close(2) is not a durability point */
}

static int lfs_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	struct stat st;
	int known = fstat(FD(fi), &st) == 0;
	close(FD(fi));
	if (known) {
		pthread_mutex_lock(&lock);
		struct rec *r = rec_find(st.st_dev, st.st_ino);
		if (r)
			rec_drop_if_clean(r);
		pthread_mutex_unlock(&lock);
	}
	return 0;
}

static int lfs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	struct stat st;
	int res;
	if (lies(FD(fi)))
		return 0;
	pthread_mutex_lock(&lock);
	if (fstat(FD(fi), &st) < 0) {
		res = -errno;
	} else {
		struct rec *r = rec_find(st.st_dev, st.st_ino);
		if (r) {
			res = rec_sync(r, datasync);
			if (res == 0)
				rec_drop(r); /* clean now */
		} else {
			res = (datasync ? fdatasync(FD(fi)) : fsync(FD(fi))) < 0 ? -errno : 0;
		}
	}
	pthread_mutex_unlock(&lock);
	return res;
}

static int lfs_fallocate(const char *path, int mode, off_t off, off_t len, struct fuse_file_info *fi)
{
	(void)path;
	if (off < 0 || len <= 0)
		return -EINVAL;
	pthread_mutex_lock(&lock);
	struct rec *r;
	int res = rec_get(FD(fi), &r);
	if (res == 0 && r) {
		if (mode == 0 || mode == FALLOC_FL_KEEP_SIZE) {
			/* allocation only: no existing byte changes; growth is undone by the ftruncate */
		} else if ((mode & ~FALLOC_FL_KEEP_SIZE) == FALLOC_FL_PUNCH_HOLE ||
			   (mode & ~FALLOC_FL_KEEP_SIZE) == FALLOC_FL_ZERO_RANGE) {
			res = save_range(r, off, off + len);
		} else {
			/* collapse/insert range or anything unknown: every byte from off on may move */
			res = save_range(r, off, r->synced_size);
		}
	}
	if (res == 0 && fallocate(FD(fi), mode, off, len) < 0)
		res = errno == ENOTSUP ? -EOPNOTSUPP : -errno;
	pthread_mutex_unlock(&lock);
	return res;
}

static const struct fuse_operations ops = {
	.init = lfs_init,
	.getattr = lfs_getattr,
	.access = lfs_access,
	.readlink = lfs_readlink,
	.opendir = lfs_opendir,
	.readdir = lfs_readdir,
	.releasedir = lfs_releasedir,
	.fsyncdir = lfs_fsyncdir,
	.mkdir = lfs_mkdir,
	.rmdir = lfs_rmdir,
	.symlink = lfs_symlink,
	.link = lfs_link,
	.unlink = lfs_unlink,
	.rename = lfs_rename,
	.chmod = lfs_chmod,
	.chown = lfs_chown,
	.utimens = lfs_utimens,
	.truncate = lfs_truncate,
	.open = lfs_open,
	.create = lfs_create,
	.read = lfs_read,
	.write = lfs_write,
	.statfs = lfs_statfs,
	.flush = lfs_flush,
	.release = lfs_release,
	.fsync = lfs_fsync,
	.fallocate = lfs_fallocate,
};

int main(int argc, char *argv[])
{
	if (argc < 3 || argv[1][0] == '-') {
		fprintf(stderr, "usage: %s <backing-dir> <mountpoint> [fuse options]\n"
				"  SIGUSR1: power loss (drop everything not fsync'ed); env LOSSYFS_UNDO_CAP=<bytes>\n",
			argv[0]);
		return 2;
	}
	base_fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (base_fd < 0) {
		fprintf(stderr, "lossyfs: cannot open backing directory %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	const char *ignore = getenv("LOSSYFS_IGNORE_FSYNC");
	ignore_fsync = ignore && *ignore ? ignore : NULL;
	if (ignore_fsync)
		fprintf(stderr, "lossyfs: LOSSYFS_IGNORE_FSYNC=%s: fsync is a no-op for those files; their writes are lost on power loss\n",
			ignore_fsync);
	const char *cap = getenv("LOSSYFS_UNDO_CAP");
	if (cap && *cap) {
		char *end;
		unsigned long long v = strtoull(cap, &end, 10);
		if (*end || v == 0) {
			fprintf(stderr, "lossyfs: LOSSYFS_UNDO_CAP must be a positive number of bytes\n");
			return 2;
		}
		undo_cap = (size_t)v;
	}
	umask(0); /* the kernel already applied the caller's umask to create/mkdir modes */

	/* each tracked file holds a descriptor: allow as many as we may */
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (pipe2(sig_pipe, O_CLOEXEC) < 0) {
		perror("lossyfs: pipe2");
		return 1;
	}
	fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sigusr1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGUSR1, &sa, NULL) < 0 || sigaction(SIGUSR2, &sa, NULL) < 0) {
		perror("lossyfs: sigaction");
		return 1;
	}

	/* fuse argv: program, mountpoint, -f (foreground: the harness owns this process), the rest */
	char **fargv = calloc((size_t)argc + 4, sizeof *fargv);
	if (!fargv)
		return 1;
	int fargc = 0;
	fargv[fargc++] = argv[0];
	fargv[fargc++] = argv[2];
	fargv[fargc++] = "-f";
	fargv[fargc++] = "-ofsname=lossyfs,subtype=lossyfs";
	/* libfuse 3.14's default max_idle_threads (-1, "unlimited") makes it print a bogus "Ignoring invalid
	 * max threads value"; 10 was the default before 3.12. Later options may override it. */
	fargv[fargc++] = "-omax_idle_threads=10";
	for (int i = 3; i < argc; i++)
		fargv[fargc++] = argv[i];
	fargv[fargc] = NULL;
	int res = fuse_main(fargc, fargv, &ops, NULL);
	free(fargv);
	return res;
}
