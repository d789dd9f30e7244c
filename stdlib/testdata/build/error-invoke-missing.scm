;; expect-error: 4:1: invoke: command "./no-such-tool" could not run: stat ./no-such-tool: no such file or directory
;; A program that cannot be run is an invoke error too, saying why.
(use-modules (fruix build utils))
(invoke "./no-such-tool")
