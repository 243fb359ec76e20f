// SPDX-License-Identifier: GPL-2.0
/*
 * l3ns-probe: a tiny static test client for the guest scenarios, for checks
 * a shell tool cannot express exactly. Prints one result line:
 * "ok <detail>" or "errno <NAME>" (exit status 0 either way; 2 on misuse).
 *
 *   l3ns-probe write FILE BYTES   one write(2) of BYTES (escapes: \n \t \0 \\ \xNN)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(EINTR); E(EIO); E(EBADF); E(EAGAIN); E(ENOMEM);
	E(EACCES); E(EFAULT); E(EBUSY); E(EEXIST); E(ENODEV); E(EINVAL);
	E(ENOSPC); E(EOPNOTSUPP); E(EADDRINUSE); E(EADDRNOTAVAIL); E(ECONNREFUSED);
	E(ENETUNREACH); E(EAFNOSUPPORT); E(ESRCH); E(ENOTCONN); E(ETIMEDOUT);
#undef E
	default: return "E?";
	}
}

static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (*in != '\\' || !in[1]) {
			out[n++] = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 'n': out[n++] = '\n'; in++; break;
		case 't': out[n++] = '\t'; in++; break;
		case '0': out[n++] = '\0'; in++; break;
		case 'x': {
			char hex[3] = { in[1], in[1] ? in[2] : 0, 0 };
			out[n++] = (char)strtol(hex, NULL, 16);
			in += 1 + strlen(hex);
			break;
		}
		default: out[n++] = *in++; break;
		}
	}
	return n;
}

static int cmd_write(const char *file, const char *bytes)
{
	char *buf = malloc(strlen(bytes) + 1);
	size_t len = unescape(bytes, buf);
	int fd = open(file, O_WRONLY);
	ssize_t r;

	if (fd < 0) {
		printf("errno %s\n", errname(errno));
		return 0;
	}
	r = write(fd, buf, len);
	if (r < 0)
		printf("errno %s\n", errname(errno));
	else
		printf("ok %zd\n", r);
	close(fd);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "write"))
		return cmd_write(argv[2], argv[3]);
	fprintf(stderr, "usage: l3ns-probe write FILE BYTES\n");
	return 2;
}
