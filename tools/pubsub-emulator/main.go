// Command pubsub-emulator serves Google's in-memory Pub/Sub fake (pstest) on a TCP port,
// so the official clients can use it through PUBSUB_EMULATOR_HOST.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"cloud.google.com/go/pubsub/v2/pstest"
)

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 8085, "port to listen on")
	probe := flag.Bool("probe", false, "exit 0 if an emulator accepts connections on host:port, 1 otherwise (container healthchecks: the image has no shell)")
	flag.Parse()

	if *probe {
		// 2 s: a local listener answers in microseconds; longer means it is not there.
		conn, err := net.DialTimeout("tcp", fmt.Sprintf("%s:%d", *host, *port), 2*time.Second)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		conn.Close()
		return
	}

	srv := pstest.NewServerWithAddress(fmt.Sprintf("%s:%d", *host, *port))
	// The stack waits for this line (and the port) before it calls the emulator ready.
	log.Printf("pubsub-emulator listening on %s", srv.Addr)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	if err := srv.Close(); err != nil {
		log.Printf("close: %v", err)
	}
}
