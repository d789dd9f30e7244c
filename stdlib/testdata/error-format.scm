;; expect-error: 3:1: format: unknown directive ~q at offset 6 of control string "value ~q"
;; A bad format directive is named with its place in the control string.
(format #f "value ~q" 1)
