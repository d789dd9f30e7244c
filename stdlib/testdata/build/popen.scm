;; (ice-9 popen): reading what a command prints, writing to its input.
(use-modules (ice-9 popen) (ice-9 textual-ports) (ice-9 rdelim))
(setenv "PATH" "/bin:/usr/bin")

(define in (open-pipe* OPEN_READ "sh" "-c" "echo first; echo second; exit 3"))
(test-equal "open-pipe* OPEN_READ" "first" (read-line in))
(test-equal "the rest" "second\n" (get-string-all in))
(test-equal "close-pipe returns the wait status" 3 (status:exit-val (close-pipe in)))

(define version (open-input-pipe "echo 15.0-RELEASE"))
(test-equal "open-input-pipe" "15.0-RELEASE" (read-line version))
(test-equal "close-pipe of a success" 0 (status:exit-val (close-pipe version)))

(define out (open-pipe* OPEN_WRITE "sh" "-c" "tr a-z A-Z > upper"))
(display "shout\n" out)
(test-equal "close-pipe of an output pipe" 0 (status:exit-val (close-pipe out)))
(test-equal "open-pipe* OPEN_WRITE" "SHOUT\n" (call-with-input-file "upper" get-string-all))

(define out2 (open-output-pipe "cat"))
(test-equal "open-output-pipe: the program's output goes to the current output port" "to cat\n"
  (with-output-to-string
    (lambda ()
      (let ((p (open-output-pipe "cat")))
        (display "to cat\n" p)
        (close-pipe p)))))
(close-pipe out2)
(define p (open-pipe "echo via open-pipe" OPEN_READ))
(test-equal "open-pipe" "via open-pipe" (read-line p))
(close-pipe p)

(test-error "open-pipe* of a missing program" "open-pipe*: cannot run \"no-such-program-fruix\": not found in PATH"
  (open-pipe* OPEN_READ "no-such-program-fruix"))
(test-error "open-pipe* with a bad mode" "mode \"x\": want OPEN_READ or OPEN_WRITE" (open-pipe* "x" "true"))
(test-error "close-pipe of another port" "close-pipe: argument 1: want pipe port" (close-pipe (open-input-string "")))
(test-equal "close-pipe of a program killed by a signal" 9
  (status:term-sig (close-pipe (open-input-pipe "kill -9 $$"))))
