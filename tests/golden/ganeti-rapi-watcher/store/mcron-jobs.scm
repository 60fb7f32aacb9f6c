;; The periodic jobs of this system, for GNU mcron.
;; `mcron --schedule=5 FILE` lists the next five runs.
(job (quote (next-second-from (next-minute (range 0 60 5)))) (lambda () (system* "/usr/sbin/ganeti-watcher" "--rapi-ip=10.0.0.1" "--job-age=21600")) "ganeti-watcher")
(job "45 1 * * *" (lambda () (system* "/usr/sbin/ganeti-cleaner" "master")) "ganeti master cleaner")
(job "45 2 * * *" (lambda () (system* "/usr/sbin/ganeti-cleaner" "node")) "ganeti node cleaner")
