import { rule, type LineRule } from './rule.js';

/** Maven, Gradle, JUnit/Surefire, javac, sbt/scalac, ScalaTest. */
export const jvmRules: LineRule[] = [
  // Maven's trailing advice is part of the failure section, but never a reason on its own.
  rule('maven.advice', 'maven', 'context', 0, /^\[(?:ERROR|error)\] (?:-> \[Help 1\]|To see the full stack trace|Re-run Maven using|For more information about the errors|\[Help 1\] http|After correcting the problems|\s+mvn <(?:goals|args)> -rf|\s*$)/,
    ['[ERROR] -> [Help 1]', '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.', '[ERROR] '], { continuation: true }),
  rule('maven.compile', 'maven', 'header', 6, /^\[ERROR\] (?:\S+\.(?:java|kt|scala|groovy)):\[\d+(?:,\d+)?\] /, ['[ERROR] /builds/x/NovelGZoltarFaultLocalization.java:[276,35] cannot find symbol'], { category: 'compile_error' }),
  rule('maven.compilation-header', 'maven', 'header', 3, /^\[ERROR\] COMPILATION ERROR\s*:?/, ['[ERROR] COMPILATION ERROR : '], { category: 'compile_error' }),
  rule('maven.dependency', 'maven', 'detail', 5, /Could not resolve dependencies for project|Could not find artifact \S+|Could not transfer artifact|Failed to collect dependencies|Non-resolvable (?:parent POM|import POM)|was cached in the local repository, resolution will not be reattempted/,
    ['Could not find artifact clojure-complete:clojure-complete:jar:0.2.4 in central (https://repo1.maven.org/maven2/)', '[ERROR] Failed to execute goal on project x: Could not resolve dependencies for project'], { category: 'dependency_install' }),
  rule('maven.goal-failed', 'maven', 'header', 4, /^\[ERROR\] Failed to execute goal /, ['[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.0:compile (default-compile) on project astor: Compilation failure'],
    { section: { maxLines: 80, blankLines: 0, end: /^\[(?:INFO|WARNING)\]/ } }),
  rule('surefire.failure', 'junit', 'header', 5, /<<< (?:FAILURE|ERROR)!(?:\s|$)/, ['[ERROR] Tests run: 10, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.036 s <<< FAILURE! - in org.x.DurationUtilsTest', 'org.x.Test.testOf  Time elapsed: 0.003 s  <<< FAILURE!'],
    { category: 'test_assertion', section: { maxLines: 100, blankLines: 0, end: /^\[INFO\] Running / } }),
  rule('surefire.results-list', 'junit', 'header', 4, /^(?:\[ERROR\] )?(?:Failed tests|Tests in error|Failures|Errors): ?$/, ['Failed tests: ', 'Tests in error: ', '[ERROR] Failures: ', 'Failures:'], { category: 'test_assertion', section: { maxLines: 60, blankLines: 0 }, arms: 20000 }),
  rule('surefire.summary', 'junit', 'summary', 1, /^(?:\[(?:ERROR|WARNING|INFO)\] )?Tests run: \d+, Failures: \d+, Errors: \d+(?:, Skipped: \d+)?\s*$/, ['Tests run: 3, Failures: 1, Errors: 0, Skipped: 0', '[ERROR] Tests run: 7147, Failures: 1, Errors: 0, Skipped: 7']),
  rule('surefire.pass', 'junit', 'pass', -1, /Tests run: \d+, Failures: 0, Errors: 0,.*(?:Time elapsed|- in )/, ['[INFO] Tests run: 5, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.026 s - in org.x.CalendarUtilsTest']),
  rule('maven.build-failure', 'maven', 'summary', 1, /^\[INFO\] BUILD FAILURE$|^BUILD FAILURE$/, ['[INFO] BUILD FAILURE']),
  rule('maven.info', 'maven', 'boundary', 0, /^\[INFO\] (?:-{20,}|Total time|Finished at|Reactor Summary|Building |--- |Running )/, ['[INFO] ------------------------------------------------------------------------', '[INFO] Running org.x.FooTest']),
  rule('maven.error-prefix', 'maven', 'detail', 2, /^\[ERROR\] \S/, ['[ERROR] No space left on device']),

  rule('junit.assertion', 'junit', 'detail', 5, /\b(?:expected:? ?<.*> but was:? ?<.*>|AssertionFailedError|ComparisonFailure|org\.junit\.\w+Error|java\.lang\.AssertionError|junit\.framework\.AssertionFailedError|MultipleFailuresError)/, ['DirtyFlagTest.testIsDirty:45 expected: <false> but was: <true>', 'java.lang.AssertionError: 13,928,704 -> 113,907,376'], { category: 'test_assertion' }),
  rule('java.exception', 'junit', 'detail', 4, /^(?:Exception in thread "[^"]*" )?(?:[a-z][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)(?::|$)|^Exception in thread "/, ['Exception in thread "main" java.lang.ExceptionInInitializerError', 'java.io.IOException: No space left on device']),
  rule('java.caused-by', 'junit', 'detail', 3, /^\s*Caused by: \S/, ['Caused by: java.lang.RuntimeException: unsupported Java version: 11'], { continuation: true }),
  rule('java.frame', 'junit', 'context', 0, /^\s+at [\w$.<>/]+\(.*\)\s*$|^\s+at [\w$.<>]+ \(.*\)$|^\s*\.\.\. \d+ (?:more|common frames omitted)$|^\s*Suppressed: |^\s+\w[\w$.]+\.\w+:\d+ .+|^\s*--- End of (?:inner exception )?stack trace/, ['\tat org.junit.Assert.fail(Assert.java:88)', '    at java.io.File.createNewFile (File.java:1026)', '\t... 15 more'], { continuation: true }),
  rule('javac.error', 'junit', 'header', 6, /^\S+\.(?:java|kt):\d+: error: /, ['src/Main.java:12: error: cannot find symbol'], { category: 'compile_error' }),
  rule('kotlin.error', 'gradle', 'header', 6, /^e: (?:file:\/\/)?\S+\.kts?(?::\d+:\d+|: ?\(\d+, \d+\)):? /, ['e: /app/src/Main.kt: (12, 5): Unresolved reference: foo', 'e: file:///app/src/Main.kt:12:5 Unresolved reference: foo'], { category: 'compile_error' }),

  rule('gradle.what-went-wrong', 'gradle', 'header', 5, /^\* What went wrong:$/, ['* What went wrong:'], { section: { maxLines: 40, blankLines: 1, end: /^\* (?:Try|Get more help|Exception is):$/ } }),
  rule('gradle.task-failed', 'gradle', 'detail', 3, /^> Task \S+ FAILED$|^Execution failed for task '/, ['> Task :cidiff:checkstyleMain FAILED', "Execution failed for task ':cidiff:checkstyleMain'."]),
  rule('gradle.build-failed', 'gradle', 'summary', 1, /^FAILURE: Build failed with an exception\.$|^BUILD FAILED(?: in .*)?$|^FAILURE: Build completed with \d+ failures?\.$/, ['FAILURE: Build failed with an exception.', 'BUILD FAILED in 12s']),
  rule('gradle.test-failed', 'gradle', 'header', 6, /^\S+ > \S.* FAILED$/, ['io.reactivex.observers.SerializedObserverTest > notificationDelay FAILED', 'LogDifferTest > testGithubParsing() FAILED'],
    { category: 'test_assertion', section: { maxLines: 40, blankLines: 1, end: /^\S+ > \S.* (?:FAILED|PASSED|SKIPPED)$/ } }),
  rule('gradle.test-pass', 'gradle', 'pass', -1, /^\S+ > \S.* (?:PASSED|SKIPPED)$/, ['LcsLogDifferTest > testUnchangedCode1() PASSED']),
  rule('gradle.tests-completed', 'gradle', 'summary', 1, /^\d+ tests? completed, \d+ failed/, ['36 tests completed, 1 failed']),
  rule('gradle.try', 'gradle', 'boundary', 0, /^\* (?:Try|Get more help at|Exception is):/, ['* Try:']),

  rule('sbt.compile', 'sbt', 'header', 6, /^\[error\] \S+\.(?:scala|java):\d+:(?:\d+:)? /, ['[error] /home/travis/build/akka/TestMessage.scala:10:8: object internalByteString is not a member'], { category: 'compile_error' }),
  rule('sbt.failed-marker', 'scala', 'header', 5, /\*\*\* FAILED \*\*\*|\*\*\* ABORTED \*\*\*/, ['[info] - http/2 client: symmetric reader and getContent *** FAILED ***'],
    { category: 'test_assertion', section: { maxLines: 40, blankLines: 0, end: /^\[info\] - |^\[info\] \S.*:$/ } }),
  rule('sbt.summary', 'sbt', 'summary', 1, /^\[error\] (?:Failed: Total \d+|Failed tests:|Error during tests:|\(.*\) (?:sbt\.TestsFailedException|Compilation failed|\S+ failed)|Total time: |\w+ errors? found$|Error: Total \d+)|^\[info\] \*\*\* \d+ TESTS? FAILED \*\*\*|^\[info\] Tests: succeeded \d+, failed [1-9]/,
    ['[error] Failed: Total 10, Failed 1, Errors 0, Passed 9', '[error] (finagle-exp / Test / compileIncremental) Compilation failed', '[error] two errors found']),
  rule('mima.problem', 'sbt', 'detail', 4, /^\[error\]\s+\* .* does not have a correspondent in (?:current|other) version|^\[error\]\s+filter with: ProblemFilters/, ['[error]  * class akka.X does not have a correspondent in current version'], { category: 'compile_error' }),
  rule('sbt.error-prefix', 'sbt', 'detail', 2, /^\[error\] \S/, ['[error] import akka.protobufv3.internalByteString']),
  rule('sbt.info-frame', 'scala', 'context', 0, /^\[info\]\s+(?:at \S|\.\.\.$|\S.*(?:Exception|Error)\b)/, ['[info]   at com.twitter.util.Promise.ready(Promise.scala:656)', '[info]   ...'], { continuation: true }),
  rule('scala.partest', 'scala', 'header', 4, /^!!\s+\d+ - \S+.*\[.*failed\]/, ['!!  753 - neg/t742.scala                            [compilation failed]'], { category: 'test_assertion', section: { maxLines: 40, blankLines: 1, end: /^(?:ok|!!)\s+\d+ - / } }),
  rule('scala.partest-ok', 'scala', 'pass', -1, /^ok\s+\d+ - \S/, ['ok  750 - neg/t7324.scala']),
];
