/*
 * The integration tests' fast test app: a tiny HTTP/1.1 server on 127.0.0.1, one thread and epoll, for load
 * scenarios that busybox httpd (a fork per connection) cannot carry at a steady 1,000 requests/s.
 *
 *   fast_app VERSION [PORT]      PORT defaults to the environment's PORT (the agent sets it), then 8080.
 *
 * - GET, HEAD and POST (a Content-Length body, read and dropped); keep-alive for HTTP/1.1 unless the client sends
 *   "Connection: close", and for HTTP/1.0 only with "Connection: keep-alive" (nginx proxies as HTTP/1.0 and closes).
 *   Pipelined requests are answered in order.
 * - /health answers 200 "ok"; every other path answers 200 with the body VERSION (and a newline).
 * - A trigger: when the file TRIGGER_DIR/fail-next-PORT exists (TRIGGER_DIR from the environment, default
 *   /etc/mizan-test), the next request other than /health removes it and answers 500 "VERSION failed once".
 *   unlink() decides, so exactly one request takes each trigger file (one failed syscall per request otherwise).
 * - SIGTERM ends it at once with exit code 0 (as PID 1 of a container it would otherwise ignore the signal).
 *
 * Built by the test fixtures with `gcc -O2 -static`, so it runs in an otherwise empty image.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_HEADER 16384
#define MAX_OUT 65536
#define MAX_EVENTS 256

struct connection {
    int fd;
    char in[MAX_HEADER];
    size_t in_length;
    /* Body bytes of the current request still to be read and dropped. */
    long long body_left;
    /* The response waits until the body has been read. */
    int answer_pending;
    int pending_status;
    int pending_keep_alive;
    int pending_head;
    const char *pending_body;
    char out[MAX_OUT];
    size_t out_length;
    size_t out_sent;
    int close_after_write;
};

static const char *version = "fast";
static char version_body[256];
static char trigger_path[512];
static char failed_body[256];
static int epoll_fd;

static void on_term(int signal_number) {
    (void)signal_number;
    _exit(0);
}

static void close_connection(struct connection *c) {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c);
}

static const char *reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    default: return "Unknown";
    }
}

/* Appends one response to the connection's output; 0 when it does not fit. */
static int queue_response(struct connection *c, int status, const char *body, int keep_alive, int head) {
    size_t body_length = strlen(body);
    size_t room = sizeof c->out - c->out_length;
    int written = snprintf(c->out + c->out_length, room,
        "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n%s\r\n%s",
        status, reason(status), body_length, keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n", head ? "" : body);
    if (written < 0 || (size_t)written >= room) {
        return 0;
    }

    c->out_length += (size_t)written;
    if (!keep_alive) {
        c->close_after_write = 1;
    }

    return 1;
}

/* Writes what it can; -1 when the connection is gone, 1 when everything went out, 0 when the socket is full. */
static int flush_output(struct connection *c) {
    while (c->out_sent < c->out_length) {
        ssize_t n = send(c->fd, c->out + c->out_sent, c->out_length - c->out_sent, MSG_NOSIGNAL);
        if (n > 0) {
            c->out_sent += (size_t)n;
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct epoll_event event = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
            epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
            return 0;
        } else {
            return -1;
        }
    }

    c->out_length = c->out_sent = 0;
    return 1;
}

static int header_is(const char *line, size_t length, const char *name, const char **value, size_t *value_length) {
    size_t name_length = strlen(name);
    if (length <= name_length || strncasecmp(line, name, name_length) != 0 || line[name_length] != ':') {
        return 0;
    }

    const char *v = line + name_length + 1;
    const char *end = line + length;
    while (v < end && (*v == ' ' || *v == '\t')) {
        v++;
    }

    while (end > v && (end[-1] == ' ' || end[-1] == '\t')) {
        end--;
    }

    *value = v;
    *value_length = (size_t)(end - v);
    return 1;
}

static int contains_token(const char *value, size_t length, const char *token) {
    size_t token_length = strlen(token);
    for (size_t i = 0; i + token_length <= length; i++) {
        if (strncasecmp(value + i, token, token_length) == 0) {
            return 1;
        }
    }

    return 0;
}

/*
 * Parses one request head of `length` bytes (up to and including the blank line) and decides the answer, which is
 * queued once its body has been read. -1 asks to close the connection at once.
 */
static int handle_head(struct connection *c, const char *head, size_t length) {
    const char *line_end = memmem(head, length, "\r\n", 2);
    if (line_end == NULL) {
        return -1;
    }

    /* Request line: METHOD SP TARGET SP HTTP/x.y */
    const char *method = head;
    const char *space = memchr(method, ' ', (size_t)(line_end - method));
    if (space == NULL) {
        return -1;
    }

    size_t method_length = (size_t)(space - method);
    const char *target = space + 1;
    const char *space2 = memchr(target, ' ', (size_t)(line_end - target));
    if (space2 == NULL) {
        return -1;
    }

    size_t target_length = (size_t)(space2 - target);
    const char *protocol = space2 + 1;
    int http10 = (size_t)(line_end - protocol) == 8 && memcmp(protocol, "HTTP/1.0", 8) == 0;
    int keep_alive = !http10;
    long long content_length = 0;
    int chunked = 0;

    const char *line = line_end + 2;
    const char *end = head + length;
    while (line < end) {
        const char *next = memmem(line, (size_t)(end - line), "\r\n", 2);
        if (next == NULL || next == line) {
            break;
        }

        const char *value;
        size_t value_length;
        if (header_is(line, (size_t)(next - line), "Content-Length", &value, &value_length)) {
            char number[32];
            if (value_length == 0 || value_length >= sizeof number) {
                return -1;
            }

            memcpy(number, value, value_length);
            number[value_length] = '\0';
            char *parsed_end;
            content_length = strtoll(number, &parsed_end, 10);
            if (*parsed_end != '\0' || content_length < 0) {
                return -1;
            }
        } else if (header_is(line, (size_t)(next - line), "Connection", &value, &value_length)) {
            if (contains_token(value, value_length, "close")) {
                keep_alive = 0;
            } else if (contains_token(value, value_length, "keep-alive")) {
                keep_alive = 1;
            }
        } else if (header_is(line, (size_t)(next - line), "Transfer-Encoding", &value, &value_length)) {
            chunked = 1;
        }

        line = next + 2;
    }

    /* The path without its query. */
    size_t path_length = target_length;
    const char *query = memchr(target, '?', target_length);
    if (query != NULL) {
        path_length = (size_t)(query - target);
    }

    int is_get = method_length == 3 && memcmp(method, "GET", 3) == 0;
    int is_head = method_length == 4 && memcmp(method, "HEAD", 4) == 0;
    int is_post = method_length == 4 && memcmp(method, "POST", 4) == 0;
    int is_health = path_length == 7 && memcmp(target, "/health", 7) == 0;

    c->body_left = content_length;
    c->answer_pending = 1;
    c->pending_keep_alive = keep_alive;
    c->pending_head = is_head;
    if (chunked) {
        /* Not needed by any client of the tests: refuse and close rather than misread the stream. */
        c->body_left = 0;
        c->pending_status = 411;
        c->pending_body = "chunked request bodies are not supported\n";
        c->pending_keep_alive = 0;
    } else if (!is_get && !is_head && !is_post) {
        c->pending_status = 405;
        c->pending_body = "method not allowed\n";
    } else if (is_health) {
        c->pending_status = 200;
        c->pending_body = "ok\n";
    } else if (unlink(trigger_path) == 0) {
        c->pending_status = 500;
        c->pending_body = failed_body;
        fprintf(stderr, "mizan-test-app %s: %s found, answering 500 once\n", version, trigger_path);
    } else {
        c->pending_status = 200;
        c->pending_body = version_body;
    }

    return 0;
}

/* Works through the input buffer: drops body bytes, answers complete requests. -1 closes the connection. */
static int process_input(struct connection *c) {
    size_t offset = 0;
    for (;;) {
        if (c->body_left > 0) {
            size_t available = c->in_length - offset;
            size_t take = (long long)available < c->body_left ? available : (size_t)c->body_left;
            offset += take;
            c->body_left -= (long long)take;
            if (c->body_left > 0) {
                break;
            }
        }

        if (c->answer_pending) {
            if (!queue_response(c, c->pending_status, c->pending_body, c->pending_keep_alive, c->pending_head)) {
                /* Output full (a client that pipelines a lot): the rest waits until it drained (on_writable). */
                break;
            }

            c->answer_pending = 0;
            if (c->close_after_write) {
                c->in_length = 0;
                return 0;
            }
        }

        const char *start = c->in + offset;
        size_t available = c->in_length - offset;
        const char *blank = available >= 4 ? memmem(start, available, "\r\n\r\n", 4) : NULL;
        if (blank == NULL) {
            break;
        }

        size_t head_length = (size_t)(blank - start) + 4;
        if (handle_head(c, start, head_length) < 0) {
            return -1;
        }

        offset += head_length;
    }

    memmove(c->in, c->in + offset, c->in_length - offset);
    c->in_length -= offset;
    if (c->in_length == sizeof c->in && !c->answer_pending && c->body_left == 0) {
        /* A request head larger than the buffer. */
        queue_response(c, 431, "request head too large\n", 0, 0);
        c->in_length = 0;
    }

    return 0;
}

static void on_readable(struct connection *c) {
    for (;;) {
        /* Nothing more is read after a last answer, nor while answers wait for the socket to take them. */
        if (c->close_after_write || (c->answer_pending && c->body_left == 0) || c->in_length == sizeof c->in) {
            break;
        }

        ssize_t n = recv(c->fd, c->in + c->in_length, sizeof c->in - c->in_length, 0);
        if (n > 0) {
            c->in_length += (size_t)n;
            if (process_input(c) < 0) {
                close_connection(c);
                return;
            }
        } else if (n == 0) {
            /* The peer is done; answer what it asked for, then close. */
            c->close_after_write = 1;
            break;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        } else {
            close_connection(c);
            return;
        }
    }

    int flushed = flush_output(c);
    if (flushed < 0 || (flushed == 1 && c->close_after_write)) {
        close_connection(c);
    }
}

static void on_writable(struct connection *c) {
    int flushed = flush_output(c);
    if (flushed < 0 || (flushed == 1 && c->close_after_write)) {
        close_connection(c);
        return;
    }

    if (flushed == 1) {
        struct epoll_event event = { .events = EPOLLIN, .data.ptr = c };
        epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &event);
        /* Input that waited for the output to drain. */
        if (process_input(c) < 0) {
            close_connection(c);
        }
    }
}

int main(int argc, char **argv) {
    if (argc > 1) {
        version = argv[1];
    }

    const char *port_text = argc > 2 ? argv[2] : getenv("PORT");
    int port = port_text != NULL && *port_text != '\0' ? atoi(port_text) : 8080;
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "mizan-test-app %s: invalid port '%s'\n", version, port_text);
        return 2;
    }

    const char *trigger_dir = getenv("TRIGGER_DIR");
    if (trigger_dir == NULL || *trigger_dir == '\0') {
        trigger_dir = "/etc/mizan-test";
    }

    snprintf(version_body, sizeof version_body, "%s\n", version);
    snprintf(trigger_path, sizeof trigger_path, "%s/fail-next-%d", trigger_dir, port);
    snprintf(failed_body, sizeof failed_body, "%s failed once\n", version);

    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    signal(SIGPIPE, SIG_IGN);

    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    int on = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) {
        fprintf(stderr, "mizan-test-app %s: cannot listen on 127.0.0.1:%d: %s\n", version, port, strerror(errno));
        return 1;
    }

    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event listen_event = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &listen_event);
    printf("mizan-test-app %s starting on 127.0.0.1:%d (fast; answers 500 once when %s appears)\n", version, port, trigger_path);
    fflush(stdout);

    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int count = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        if (count < 0) {
            if (errno == EINTR) {
                continue;
            }

            perror("epoll_wait");
            return 1;
        }

        for (int i = 0; i < count; i++) {
            struct connection *c = events[i].data.ptr;
            if (c == NULL) {
                for (;;) {
                    int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    if (fd < 0) {
                        break;
                    }

                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                    struct connection *accepted = calloc(1, sizeof *accepted);
                    if (accepted == NULL) {
                        close(fd);
                        continue;
                    }

                    accepted->fd = fd;
                    struct epoll_event event = { .events = EPOLLIN, .data.ptr = accepted };
                    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event);
                }

                continue;
            }

            if (events[i].events & EPOLLOUT) {
                on_writable(c);
            } else if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
                on_readable(c);
            }
        }
    }
}
