;;; A Guix-style configuration: define* with keyword arguments and
;;; defaults, records matched with ($ ...), assoc-ref, format with ~a ~s
;;; ~d ~% and ~{ ~}, string-join, sort, with-output-to-string, and
;;; quasiquoted G-expression-like data.
(use-modules (ice-9 match) (ice-9 format) (srfi srfi-1) (srfi srfi-9))

(define-record-type <user-account>
  (%user-account name uid groups home shell)
  user-account?
  (name user-account-name)
  (uid user-account-uid)
  (groups user-account-groups)
  (home user-account-home)
  (shell user-account-shell))

(define* (user-account #:key name (uid 1000) (groups '())
                       (home (string-append "/home/" name))
                       (shell "/bin/sh"))
  (%user-account name uid groups home shell))

(define-record-type <file-system>
  (%file-system mount-point device type options)
  file-system?
  (mount-point file-system-mount-point)
  (device file-system-device)
  (type file-system-type)
  (options file-system-options))

(define* (file-system #:key mount-point device (type "ufs") (options '("rw")))
  (%file-system mount-point device type options))

(define* (operating-system #:key host-name (users '()) (file-systems '())
                           (services '()) #:allow-other-keys)
  `((host-name . ,host-name)
    (users . ,users)
    (file-systems . ,file-systems)
    (services . ,services)))

(define os
  (operating-system
   #:host-name "fruix-vm"
   #:users (list (user-account #:name "alice" #:uid 1001 #:groups '("wheel"))
                 (user-account #:name "bob" #:shell "/usr/local/bin/zsh"))
   #:file-systems (list (file-system #:mount-point "/" #:device "/dev/gpt/rootfs")
                        (file-system #:mount-point "/tmp" #:device "tmpfs"
                                     #:type "tmpfs" #:options '("rw" "mode=1777")))
   #:services '((sshd (port . 2222)) (ntpd) (syslogd (flags . "-ss")))
   #:kernel "GENERIC"))

(define (passwd-line user)
  (match user
    (($ <user-account> name uid groups home shell)
     (format #f "~a:*:~d:~d::0:0:~a:~a:~a" name uid uid name home shell))))

(define (fstab-line fs)
  (match fs
    (($ <file-system> mount-point device type options)
     (format #f "~a\t~a\t~a\t~a\t0\t0" device mount-point type (string-join options ",")))))

(define (rc.conf services)
  (with-output-to-string
    (lambda ()
      (for-each (match-lambda
                  ((name . settings)
                   (format #t "~a_enable=\"YES\"~%" name)
                   (for-each (match-lambda
                               (('port . port) (format #t "~a_flags=\"-p ~d\"~%" name port))
                               (('flags . flags) (format #t "~a_flags=~s~%" name flags)))
                             settings)))
                (sort services (lambda (a b) (string<? (symbol->string (car a))
                                                       (symbol->string (car b)))))))))

(format #t "# ~a~%" (assoc-ref os 'host-name))
(for-each (lambda (u) (display (passwd-line u)) (newline)) (assoc-ref os 'users))
(for-each (lambda (fs) (display (fstab-line fs)) (newline)) (assoc-ref os 'file-systems))
(display (rc.conf (assoc-ref os 'services)))
(format #t "wheel: ~{~a~^, ~}~%"
        (filter-map (lambda (u) (and (member "wheel" (user-account-groups u))
                                     (user-account-name u)))
                    (assoc-ref os 'users)))
(write (map (lambda (u) `(user ,(user-account-name u) #:uid ,(user-account-uid u)))
            (assoc-ref os 'users)))
(newline)
