module example.com/dealstat

go 1.21
