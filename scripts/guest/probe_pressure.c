// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe, memory pressure: a process that keeps the guest's memory
 * nearly full, and a member's burst of sockets and forks beside it
 * (scenario 75). Every allocation of the member's path is made while the
 * allocator is short of free pages.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

#define CHUNK (4L << 20)
#define MAX_CHUNKS 1024

/* MemAvailable in MB, or -1. */
static long mem_available_mb(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

static void *touch_chunk(void)
{
	void *p = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0x5a, CHUNK);
	return p;
}

/*
 * hog LEFT_MB: fills memory until MemAvailable is at most LEFT_MB, says
 * "hog N MB", then keeps it there, giving back and re-taking one chunk every
 * 20 ms so that kswapd and the allocator's slow paths keep running. The OOM
 * killer takes it first (oom_score_adj 1000). Runs until killed.
 */
static int cmd_hog(long left)
{
	static void *chunks[MAX_CHUNKS];
	struct timespec t = { 0, 20 * 1000 * 1000 };
	FILE *adj = fopen("/proc/self/oom_score_adj", "w");
	int n = 0, next = 0;

	if (adj) {
		fputs("1000\n", adj);
		fclose(adj);
	}
	while (n < MAX_CHUNKS && mem_available_mb() > left && (chunks[n] = touch_chunk()))
		n++;
	printf("hog %ld MB, available %ld MB\n", (long)n * (CHUNK >> 20), mem_available_mb());
	fflush(stdout);
	for (;;) {
		nanosleep(&t, NULL);
		if (!n)
			continue;
		munmap(chunks[next], CHUNK);
		chunks[next] = touch_chunk();
		if (!chunks[next])
			chunks[next] = touch_chunk();
		if (!chunks[next])
			return 1;
		next = (next + 1) % n;
	}
}

/*
 * churn SOCKETS FORKS: SOCKETS sockets (TCP and UDP by turns, up to 64 open
 * at once) and FORKS forks whose children exit at once; prints what failed.
 */
static int cmd_churn(int sockets, int forks)
{
	int open_fds[64], n_open = 0, enobufs = 0, errors = 0, killed = 0, forkfail = 0;
	int i, status;

	for (i = 0; i < sockets; i++) {
		int fd = socket(AF_INET, i % 2 ? SOCK_DGRAM : SOCK_STREAM, 0);

		if (fd < 0) {
			if (errno == ENOBUFS)
				enobufs++;
			else
				errors++;
			continue;
		}
		open_fds[n_open++] = fd;
		if (n_open == 64)
			while (n_open)
				close(open_fds[--n_open]);
	}
	while (n_open)
		close(open_fds[--n_open]);
	for (i = 0; i < forks; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid(pid, &status, 0) != pid) {
			forkfail++;
			continue;
		}
		if (WIFSIGNALED(status))
			killed++;
	}
	printf("sockets %d enobufs %d errors %d forks %d killed %d forkfail %d\n",
	       sockets, enobufs, errors, forks, killed, forkfail);
	return 0;
}

int pressure_main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "hog"))
		return cmd_hog(atol(argv[2]));
	if (argc == 4 && !strcmp(argv[1], "churn"))
		return cmd_churn(atoi(argv[2]), atoi(argv[3]));
	return -1;
}
