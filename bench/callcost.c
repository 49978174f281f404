/* Per-call cost of the same calls from C, in one process: htons, and write + read of 1024 bytes over a socketpair.
 * Prints key=value nanoseconds per call (best of REPEATS runs of LOOPS calls). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
    long loops = argc > 1 ? atol(argv[1]) : 1000000;
    int repeats = argc > 2 ? atoi(argv[2]) : 5;
    int sv[2];
    char buf[1024] = {0};
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        perror("socketpair");
        return 1;
    }
    /* volatile: the compiler must make every htons call and keep its result. */
    volatile uint16_t in = 3600, out = 0;
    double best_htons = 1e30, best_io = 1e30;
    for (int r = 0; r < repeats; r++) {
        double t0 = now_ns();
        for (long i = 0; i < loops; i++)
            out = htons(in);
        double t1 = now_ns();
        if ((t1 - t0) / loops < best_htons)
            best_htons = (t1 - t0) / loops;
        long io_loops = loops / 10 > 0 ? loops / 10 : 1;
        t0 = now_ns();
        for (long i = 0; i < io_loops; i++) {
            if (write(sv[1], buf, sizeof(buf)) != sizeof(buf) || read(sv[0], buf, sizeof(buf)) != sizeof(buf)) {
                perror("write/read");
                return 1;
            }
        }
        t1 = now_ns();
        if ((t1 - t0) / io_loops < best_io)
            best_io = (t1 - t0) / io_loops;
    }
    (void)out;
    printf("htons_ns=%.2f write_read_1024_ns=%.1f\n", best_htons, best_io);
    return 0;
}
