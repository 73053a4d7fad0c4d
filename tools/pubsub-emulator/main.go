// Command pubsub-emulator serves Google's in-memory Pub/Sub fake (pstest) on a TCP port,
// so the official clients can use it through PUBSUB_EMULATOR_HOST.
//
// pstest accepts any message; Pub/Sub does not. With -enforce-limits (the default) Publish refuses,
// as Pub/Sub does with INVALID_ARGUMENT, a message that breaks Pub/Sub's per-message resource limits:
// more than 100 attributes, an attribute key over 256 bytes or value over 1,024 bytes (UTF-8 bytes,
// not characters), a message (data plus attributes) or a whole request over 10,000,000 bytes, or a
// message with neither data nor attributes. Code that must fit the limits is then tested against them.
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

	"cloud.google.com/go/pubsub/v2/apiv1/pubsubpb"
	"cloud.google.com/go/pubsub/v2/pstest"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

const (
	maxAttributes   = 100
	maxKeyBytes     = 256
	maxValueBytes   = 1024
	maxMessageBytes = 10_000_000
)

// limits is a pstest reactor for Publish that refuses what Pub/Sub refuses.
type limits struct{}

func (limits) React(req interface{}) (bool, interface{}, error) {
	r, ok := req.(*pubsubpb.PublishRequest)
	if !ok {
		return false, nil, nil
	}
	if size := proto.Size(r); size > maxMessageBytes {
		return true, nil, status.Errorf(codes.InvalidArgument, "request of %d bytes; the maximum is %d", size, maxMessageBytes)
	}
	for _, m := range r.Messages {
		if len(m.Data) == 0 && len(m.Attributes) == 0 {
			return true, nil, status.Errorf(codes.InvalidArgument, "a message needs data or at least one attribute")
		}
		if len(m.Attributes) > maxAttributes {
			return true, nil, status.Errorf(codes.InvalidArgument, "%d attributes; the maximum is %d", len(m.Attributes), maxAttributes)
		}
		size := len(m.Data)
		for k, v := range m.Attributes {
			if len(k) > maxKeyBytes {
				return true, nil, status.Errorf(codes.InvalidArgument, "an attribute key of %d bytes; the maximum is %d", len(k), maxKeyBytes)
			}
			if len(v) > maxValueBytes {
				return true, nil, status.Errorf(codes.InvalidArgument, "attribute %q has a value of %d bytes; the maximum is %d", k, len(v), maxValueBytes)
			}
			size += len(k) + len(v)
		}
		if size > maxMessageBytes {
			return true, nil, status.Errorf(codes.InvalidArgument, "message of %d bytes; the maximum is %d", size, maxMessageBytes)
		}
	}
	return false, nil, nil
}

func main() {
	host := flag.String("host", "127.0.0.1", "address to listen on")
	port := flag.Int("port", 8085, "port to listen on")
	probe := flag.Bool("probe", false, "exit 0 if an emulator accepts connections on host:port, 1 otherwise (container healthchecks: the image has no shell)")
	enforce := flag.Bool("enforce-limits", true, "refuse messages over Pub/Sub's per-message limits")
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

	var opts []pstest.ServerReactorOption
	if *enforce {
		opts = append(opts, pstest.ServerReactorOption{FuncName: "Publish", Reactor: limits{}})
	}
	srv := pstest.NewServerWithAddress(fmt.Sprintf("%s:%d", *host, *port), opts...)
	// The stack waits for this line (and the port) before it calls the emulator ready.
	log.Printf("pubsub-emulator listening on %s (limits enforced: %v)", srv.Addr, *enforce)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	if err := srv.Close(); err != nil {
		log.Printf("close: %v", err)
	}
}
