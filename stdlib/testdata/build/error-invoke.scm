;; expect-error: 5:3: invoke: command "sh" "-c" "exit 2" failed with status 2
;; An uncaught invoke failure names the command line and its status.
(use-modules (fruix build utils))
(setenv "PATH" "/bin:/usr/bin")
  (invoke "sh" "-c" "exit 2")
