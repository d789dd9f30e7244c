;; expect: 2:1: uncaught
(raise 'disk-full)
