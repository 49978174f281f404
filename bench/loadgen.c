/* Load generator: N sequential connections to 127.0.0.1:PORT, each connect / write SIZE / read until SIZE or EOF /
 * close. Prints one line of key=value: connections/s over the whole run and round-trip latency (mean, p99). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define SIZE 1024

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One round trip; returns the bytes echoed back, or -1 if a call failed. */
static int round_trip(const struct sockaddr_in *addr, const char *out, char *in, long timeout_s)
{
    /* A bound on every call, so a stuck server cannot hang the benchmark. */
    struct timeval timeout = {timeout_s, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    if (connect(fd, (const struct sockaddr *)addr, sizeof(*addr)) < 0) {
        close(fd);
        return -1;
    }
    int sent = 0;
    while (sent < SIZE) {
        ssize_t n = write(fd, out + sent, SIZE - sent);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        sent += n;
    }
    int got = 0;
    while (got < SIZE) {
        ssize_t n = read(fd, in + got, SIZE - got);
        if (n < 0) {
            close(fd);
            return -1;
        }
        if (n == 0)
            break;
        got += n;
    }
    close(fd);
    return got;
}

int main(int argc, char **argv)
{
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s PORT CONNECTIONS [TIMEOUT_S]\n", argv[0]);
        return 2;
    }
    int port = atoi(argv[1]);
    long count = atol(argv[2]);
    /* Under valgrind, a server's first calls (PyPy's JIT compiling) can take longer than the default 5 s. */
    long timeout_s = argc == 4 ? atol(argv[3]) : 5;
    if (port <= 0 || port > 65535 || count <= 0 || timeout_s <= 0) {
        fprintf(stderr, "loadgen: bad PORT, CONNECTIONS or TIMEOUT_S\n");
        return 2;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    char out[SIZE], in[SIZE];
    for (int i = 0; i < SIZE; i++)
        out[i] = 'a' + i % 26;
    double *latency = malloc(count * sizeof(double));
    if (latency == NULL)
        return 1;

    long failures = 0, short_echoes = 0, done = 0;
    double start = now_s();
    for (long i = 0; i < count; i++) {
        double t0 = now_s();
        int got = round_trip(&addr, out, in, timeout_s);
        double t1 = now_s();
        if (got < 0) {
            failures++;
            if (failures > 100) /* the server is gone: stop rather than spin */
                break;
            continue;
        }
        if (got != SIZE || memcmp(in, out, SIZE) != 0)
            short_echoes++;
        latency[done++] = t1 - t0;
    }
    double elapsed = now_s() - start;

    double sum = 0;
    for (long i = 0; i < done; i++)
        sum += latency[i];
    qsort(latency, done, sizeof(double), cmp_double);
    double p99 = done ? latency[(long)((done - 1) * 0.99)] : 0;
    printf("connections=%ld failures=%ld bad_echoes=%ld seconds=%.6f conn_per_s=%.1f lat_mean_us=%.2f lat_p99_us=%.2f\n",
           done, failures, short_echoes, elapsed, done / elapsed, done ? sum / done * 1e6 : 0, p99 * 1e6);
    free(latency);
    return failures ? 1 : 0;
}
