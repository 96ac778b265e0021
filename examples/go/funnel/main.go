// The Go example: the sample account's sales funnel through the C ABI.
//
//	CGO_CFLAGS=-I$REPO/capi/include CGO_LDFLAGS=-L$BUILD/capi go run ./funnel
package main

import (
	"fmt"
	"log"
	"os"
	"strconv"

	"example.com/dealstat/dealstat"
)

func main() {
	deals := int64(20000)
	if len(os.Args) > 1 {
		n, err := strconv.ParseInt(os.Args[1], 10, 64)
		if err != nil {
			log.Fatal(err)
		}
		deals = n
	}
	ds, err := dealstat.Sample(deals, 42)
	if err != nil {
		log.Fatal(err)
	}
	defer ds.Close()
	res, err := ds.Funnel(dealstat.Filter{From: "2024-01-01", To: "2025-01-01"})
	if err != nil {
		log.Fatal(err)
	}
	f := res.Table("funnel")
	stage, reached, conv := f.Column("stage"), f.Column("reached"), f.Column("conversion_from_first_pct")
	fmt.Printf("dealstat %s, %d deals\n", dealstat.Version(), ds.Deals())
	fmt.Printf("%-24s %10s %10s\n", "stage", "reached", "from first")
	for i := 0; i < f.Rows; i++ {
		fmt.Printf("%-24s %10d %9.1f%%\n", stage.String[i], reached.Int64[i], conv.Float64[i])
	}
}
